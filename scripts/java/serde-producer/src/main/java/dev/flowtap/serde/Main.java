package dev.flowtap.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import com.squareup.wire.schema.internal.parser.ProtoFileElement;
import com.squareup.wire.schema.internal.parser.ProtoParser;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.jsonschema.JsonSchemaKafkaSerializer;
import io.apicurio.registry.serde.protobuf.ProtobufKafkaSerializer;
import io.apicurio.registry.utils.protobuf.schema.FileDescriptorUtils;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.LogManager;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes records with Apicurio Registry's Kafka serializers (2.4.2.Final) in the Confluent wire
 * format, and produces them to Kafka or prints them as hex.
 *
 * <p>Input: one JSON spec, or an array of them, on stdin (or in the file named by the first
 * argument). Output: one JSON document on stdout (an array when the input was one).
 *
 * <pre>
 * {
 *   "mode": "produce" | "serialize",          // serialize: no Kafka, bytes as hex only
 *   "bootstrapServers": "127.0.0.1:9092",     // produce only
 *   "registryUrl": "http://127.0.0.1:8081/apis/ccompat/v7",  // any URL of the registry: its origin is used
 *   "topic": "payments",
 *   "value": { "format": "avro" | "protobuf" | "json-schema",
 *              "schema": "…schema text…",
 *              "messageType": "PaymentCompleted",   // protobuf: the message to build (full or simple name)
 *              "fileName": "schema.proto",           // protobuf: the file's name (imports: well-known types only)
 *              "validation": true,                   // protobuf: Apicurio's schema check (false for nested types)
 *              "dereference": false,                 // avro: true registers nested records inline, not as references
 *              "subject": "…" },                     // optional: register under this subject instead of topic-value
 *   "key": { … same shape … },                      // optional: keys serialized too; else keys are UTF-8 strings
 *   "idOption": "contentId" | "globalId",          // the 4-byte id written: contentId (default) is what ccompat serves
 *   "apicurioHeaders": false,                      // true: Apicurio's own header mode (ids in headers, no magic byte)
 *   "records": [ { "key": "k" | {…} | null, "value": {…}, "headers": { "name": "value" },
 *                  "partition": 0, "timestamp": 1700000000000 } ]
 * }
 * </pre>
 *
 * Output: { "topic", "records": [ { "partition", "offset", "keyHex", "valueHex", "headers": { name: hex } } ] }.
 */
public final class Main {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  public static void main(String[] args) {
    try {
      mainOrThrow(args);
    } catch (Throwable t) {
      t.printStackTrace();
      // A Kafka producer or registry client thread must not keep the JVM alive after a failure.
      System.exit(1);
    }
  }

  static void mainOrThrow(String[] args) throws Exception {
    LogManager.getLogManager().getLogger("").setLevel(Level.WARNING);
    byte[] input;
    if (args.length > 0 && !args[0].equals("-")) {
      input = Files.readAllBytes(Path.of(args[0]));
    } else {
      try (InputStream in = System.in) {
        input = in.readAllBytes();
      }
    }
    JsonNode root = MAPPER.readTree(input);
    JsonNode out;
    if (root.isArray()) {
      ArrayNode all = JsonNodeFactory.instance.arrayNode();
      for (JsonNode spec : root) all.add(run(spec));
      out = all;
    } else {
      out = run(root);
    }
    System.out.println(MAPPER.writeValueAsString(out));
    System.out.flush();
    // Kafka and the registry client leave non-daemon threads behind on some paths.
    System.exit(0);
  }

  static ObjectNode run(JsonNode spec) throws Exception {
    String mode = text(spec, "mode", "produce");
    String topic = str(spec, "topic");
    String registry = registryBase(str(spec, "registryUrl"));
    String idOption = text(spec, "idOption", "contentId");
    boolean apicurioHeaders = spec.path("apicurioHeaders").asBoolean(false);

    Side value = new Side(required(spec, "value"), false, topic, registry, idOption, apicurioHeaders);
    Side key = spec.hasNonNull("key") ? new Side(spec.get("key"), true, topic, registry, idOption, apicurioHeaders) : null;

    KafkaProducer<byte[], byte[]> producer = null;
    if (mode.equals("produce")) {
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, str(spec, "bootstrapServers"));
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.CLIENT_ID_CONFIG, "flowtap-serde-producer");
      p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
      producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    } else if (!mode.equals("serialize")) {
      throw new IllegalArgumentException("mode must be produce or serialize, not " + mode);
    }

    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.put("topic", topic);
    ArrayNode records = result.putArray("records");
    try {
      for (JsonNode rec : required(spec, "records")) {
        RecordHeaders headers = new RecordHeaders();
        rec.path("headers").fields().forEachRemaining(e ->
            headers.add(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText().getBytes(StandardCharsets.UTF_8)));
        byte[] keyBytes;
        JsonNode k = rec.get("key");
        if (k == null || k.isNull()) keyBytes = null;
        else if (key != null) keyBytes = key.serialize(topic, headers, k);
        else keyBytes = (k.isTextual() ? k.asText() : MAPPER.writeValueAsString(k)).getBytes(StandardCharsets.UTF_8);
        JsonNode v = rec.get("value");
        byte[] valueBytes;
        try {
          valueBytes = v == null || v.isNull() ? null : value.serialize(topic, headers, v);
        } catch (RuntimeException e) {
          throw new IllegalStateException("serializing record " + records.size() + " for " + topic + " (registry " + registry + ") failed: " + e, e);
        }

        ObjectNode o = records.addObject();
        if (producer != null) {
          Integer partition = rec.hasNonNull("partition") ? rec.get("partition").asInt() : null;
          Long ts = rec.hasNonNull("timestamp") ? rec.get("timestamp").asLong() : null;
          RecordMetadata md = producer.send(new ProducerRecord<>(topic, partition, ts, keyBytes, valueBytes, headers)).get();
          o.put("partition", md.partition());
          o.put("offset", String.valueOf(md.offset()));
        }
        o.put("keyHex", keyBytes == null ? null : HEX.formatHex(keyBytes));
        o.put("valueHex", valueBytes == null ? null : HEX.formatHex(valueBytes));
        ObjectNode h = o.putObject("headers");
        for (Header header : headers) h.put(header.key(), header.value() == null ? null : HEX.formatHex(header.value()));
      }
    } finally {
      if (producer != null) producer.close(Duration.ofSeconds(10));
      value.close();
      if (key != null) key.close();
    }
    return result;
  }

  /** One side (key or value) of the records: its format, schema and serializer. */
  static final class Side {
    final String format;
    final Serializer<Object> serializer;
    Schema avroSchema;
    Descriptors.Descriptor protoType;

    @SuppressWarnings({"unchecked", "rawtypes"})
    Side(JsonNode side, boolean isKey, String topic, String registry, String idOption, boolean apicurioHeaders) throws Exception {
      format = str(side, "format");
      String schema = str(side, "schema");
      String subject = text(side, "subject", null);
      Map<String, Object> cfg = new HashMap<>();
      cfg.put(SerdeConfig.REGISTRY_URL, registry + "/apis/registry/v2");
      cfg.put(SerdeConfig.ENABLE_HEADERS, apicurioHeaders);
      if (!apicurioHeaders) {
        // Confluent's framing: magic byte 0 and a 4-byte id. as-confluent alone works too, but logs a
        // warning about the default id handler it replaces.
        cfg.put(SerdeConfig.ENABLE_CONFLUENT_ID_HANDLER, true);
        cfg.put(SerdeConfig.ID_HANDLER, io.apicurio.registry.serde.Legacy4ByteIdHandler.class.getName());
      }
      cfg.put(SerdeConfig.USE_ID, idOption);
      if (subject != null) cfg.put(SerdeConfig.EXPLICIT_ARTIFACT_ID, subject);
      switch (format) {
        case "avro" -> {
          avroSchema = new Schema.Parser().parse(schema);
          cfg.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
          // Apicurio 2.4.2 registers each nested record type as a schema of its own and refers to
          // it (Avro schema references) unless dereference is on; and it fails on a top-level
          // schema that is not a record or an enum unless dereference is on.
          boolean plain = avroSchema.getType() != Schema.Type.RECORD && avroSchema.getType() != Schema.Type.ENUM;
          cfg.put(io.apicurio.registry.resolver.SchemaResolverConfig.DEREFERENCE_SCHEMA, plain || side.path("dereference").asBoolean(false));
          serializer = (Serializer) new AvroKafkaSerializer<>();
        }
        case "protobuf" -> {
          String fileName = text(side, "fileName", "schema.proto");
          Descriptors.FileDescriptor file = protoFile(schema, fileName);
          String wanted = str(side, "messageType");
          protoType = findMessage(file, wanted);
          cfg.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
          // Apicurio's check looks the type up among the file's top-level messages only: a nested
          // type needs "validation": false (and Apicurio's own deserializer cannot read it back).
          cfg.put(SerdeConfig.VALIDATION_ENABLED, side.path("validation").asBoolean(true));
          serializer = (Serializer) new ProtobufKafkaSerializer<DynamicMessage>();
        }
        case "json-schema" -> {
          // Apicurio's JSON Schema serializer cannot register a schema from the data: register it
          // through the Confluent-compatible API, as a Confluent user would, then use the latest version.
          String subj = subject != null ? subject : topic + (isKey ? "-key" : "-value");
          registerJsonSchema(registry, subj, schema);
          cfg.put(SerdeConfig.EXPLICIT_ARTIFACT_ID, subj);
          cfg.put(SerdeConfig.FIND_LATEST_ARTIFACT, true);
          cfg.put(SerdeConfig.VALIDATION_ENABLED, true);
          serializer = (Serializer) new JsonSchemaKafkaSerializer<JsonNode>();
        }
        default -> throw new IllegalArgumentException("format must be avro, protobuf or json-schema, not " + format);
      }
      serializer.configure(cfg, isKey);
    }

    byte[] serialize(String topic, RecordHeaders headers, JsonNode data) throws Exception {
      Object datum = switch (format) {
        case "avro" -> {
          Object d = AvroJson.convert(avroSchema, data, "$");
          yield avroSchema.getType() == Schema.Type.RECORD ? d : new io.apicurio.registry.serde.avro.NonRecordContainer(avroSchema, d);
        }
        case "protobuf" -> {
          DynamicMessage.Builder b = DynamicMessage.newBuilder(protoType);
          JsonFormat.parser().merge(MAPPER.writeValueAsString(data), b);
          yield b.build();
        }
        default -> data;
      };
      return serializer.serialize(topic, headers, datum);
    }

    void close() {
      serializer.close();
    }
  }

  /**
   * Parses .proto text that may import the well-known types (google/protobuf/*.proto) and Google's
   * common types (google/type/*.proto), as a generated class's descriptor would look: its
   * dependencies are exactly its imports. (Apicurio's parser hands every well-known file to the
   * descriptor as a dependency, and its serializer would then register all 29 as references.)
   */
  static Descriptors.FileDescriptor protoFile(String schema, String fileName) throws Descriptors.DescriptorValidationException {
    ProtoFileElement element = ProtoParser.Companion.parse(FileDescriptorUtils.DEFAULT_LOCATION, schema);
    // The package must be given, or wire's loader expects the file at the root of its source path.
    Descriptors.FileDescriptor loose =
        FileDescriptorUtils.protoFileToFileDescriptor(schema, fileName, Optional.ofNullable(element.getPackageName()));
    List<String> imports = new ArrayList<>(element.getImports());
    imports.addAll(element.getPublicImports());
    DescriptorProtos.FileDescriptorProto.Builder proto = loose.toProto().toBuilder().clearDependency().clearPublicDependency();
    proto.addAllDependency(imports);
    for (int i = element.getImports().size(); i < imports.size(); i++) proto.addPublicDependency(i);
    List<Descriptors.FileDescriptor> deps = new ArrayList<>();
    for (String name : imports) {
      Descriptors.FileDescriptor dep = null;
      for (Descriptors.FileDescriptor base : FileDescriptorUtils.baseDependencies()) {
        if (base.getName().equals(name)) dep = base;
      }
      if (dep == null) {
        throw new IllegalArgumentException("import \"" + name + "\" is not a well-known type: only google/protobuf/*.proto and google/type/*.proto imports are supported");
      }
      deps.add(dep);
    }
    return Descriptors.FileDescriptor.buildFrom(proto.build(), deps.toArray(new Descriptors.FileDescriptor[0]));
  }

  static Descriptors.Descriptor findMessage(Descriptors.FileDescriptor file, String wanted) {
    List<Descriptors.Descriptor> all = new ArrayList<>();
    for (Descriptors.Descriptor d : file.getMessageTypes()) collect(d, all);
    for (Descriptors.Descriptor d : all) {
      if (d.getFullName().equals(wanted) || d.getName().equals(wanted)) return d;
    }
    List<String> names = all.stream().map(Descriptors.Descriptor::getFullName).toList();
    throw new IllegalArgumentException("message type " + wanted + " is not in the .proto (it has " + names + ")");
  }

  private static void collect(Descriptors.Descriptor d, List<Descriptors.Descriptor> out) {
    out.add(d);
    for (Descriptors.Descriptor n : d.getNestedTypes()) collect(n, out);
  }

  static void registerJsonSchema(String registry, String subject, String schema) throws IOException, InterruptedException {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("schemaType", "JSON");
    body.put("schema", schema);
    HttpRequest req = HttpRequest.newBuilder(URI.create(registry + "/apis/ccompat/v7/subjects/" + encode(subject) + "/versions"))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body)))
        .build();
    HttpResponse<String> res = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() / 100 != 2) {
      throw new IOException("registering the JSON schema under " + subject + " failed: HTTP " + res.statusCode() + " " + res.body());
    }
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** http://host:port/anything → http://host:port */
  static String registryBase(String url) {
    URI u = URI.create(url.trim());
    return u.getScheme() + "://" + u.getRawAuthority();
  }

  static JsonNode required(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) throw new IllegalArgumentException("spec field \"" + field + "\" is required");
    return v;
  }

  static String text(JsonNode node, String field, String fallback) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? fallback : v.asText();
  }

  static String str(JsonNode node, String field) {
    return required(node, field).asText();
  }
}
