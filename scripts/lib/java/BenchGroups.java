// Benchmark setup only: gives N consumer groups committed offsets on the given topics in one
// JVM, through Kafka's own AdminClient (kafkajs can only commit from a joined consumer, one
// slow round per group and topic). Usage: BenchGroups <bootstrap> <groupPrefix> <groups> <topic>...
import java.util.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

public class BenchGroups {
  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    try (Admin admin = Admin.create(p)) {
      List<String> topics = Arrays.asList(args).subList(3, args.length);
      Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get();
      int groups = Integer.parseInt(args[2]);
      List<KafkaFuture<Void>> pending = new ArrayList<>();
      for (int g = 0; g < groups; g++) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicDescription t : described.values())
          for (var part : t.partitions()) offsets.put(new TopicPartition(t.name(), part.partition()), new OffsetAndMetadata(g % 7));
        pending.add(admin.alterConsumerGroupOffsets(args[1] + g, offsets).all());
      }
      for (KafkaFuture<Void> f : pending) f.get();
    }
  }
}
