package dev.flowtap.serde;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Plain JSON → Avro generic datum for a schema, as a person would write the record:
 * <ul>
 *   <li>decimal (bytes or fixed): a string or number, "12.30" → unscaled two's-complement bytes at the schema's scale;</li>
 *   <li>timestamp-millis/-micros, local-timestamp-*: a number, or an ISO-8601 instant string;</li>
 *   <li>date: a number of days, or "2024-05-01"; time-millis/-micros: a number, or "14:02:03.250";</li>
 *   <li>uuid: a string; bytes and fixed: {"base64": "…"}, {"hex": "…"} or a string (UTF-8);</li>
 *   <li>unions: null, Avro's JSON form {"typeName": value}, or the first branch that fits.</li>
 * </ul>
 * Values stay in Avro's generic representation (no logical-type conversions are needed to write them).
 */
final class AvroJson {
  private AvroJson() {}

  static Object convert(Schema s, JsonNode v, String path) {
    LogicalType lt = s.getLogicalType();
    switch (s.getType()) {
      case NULL:
        if (v == null || v.isNull()) return null;
        throw bad(path, "null", v);
      case BOOLEAN:
        if (v.isBoolean()) return v.booleanValue();
        throw bad(path, "boolean", v);
      case INT:
        if (lt instanceof LogicalTypes.Date && v.isTextual()) return (int) LocalDate.parse(v.asText()).toEpochDay();
        if (lt instanceof LogicalTypes.TimeMillis && v.isTextual()) return (int) (LocalTime.parse(v.asText()).toNanoOfDay() / 1_000_000L);
        if (v.isIntegralNumber() && v.canConvertToInt()) return v.intValue();
        throw bad(path, "int", v);
      case LONG:
        if (v.isTextual() && lt != null) {
          String name = lt.getName();
          if (name.endsWith("timestamp-millis")) return Instant.parse(v.asText()).toEpochMilli();
          if (name.endsWith("timestamp-micros")) {
            Instant i = Instant.parse(v.asText());
            return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000L;
          }
          if (name.equals("time-micros")) return LocalTime.parse(v.asText()).toNanoOfDay() / 1_000L;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) return v.longValue();
        throw bad(path, "long", v);
      case FLOAT:
        if (v.isNumber()) return v.floatValue();
        throw bad(path, "float", v);
      case DOUBLE:
        if (v.isNumber()) return v.doubleValue();
        throw bad(path, "double", v);
      case STRING:
        if (v.isTextual()) return v.asText();
        throw bad(path, "string", v);
      case BYTES:
        if (lt instanceof LogicalTypes.Decimal d) return ByteBuffer.wrap(unscaled(d, v, path));
        return ByteBuffer.wrap(bytes(v, path));
      case FIXED: {
        byte[] b;
        if (lt instanceof LogicalTypes.Decimal d) {
          byte[] u = unscaled(d, v, path);
          if (u.length > s.getFixedSize()) throw new IllegalArgumentException(path + ": decimal does not fit fixed(" + s.getFixedSize() + ")");
          b = new byte[s.getFixedSize()];
          byte pad = (byte) (u.length > 0 && u[0] < 0 ? 0xff : 0);
          for (int i = 0; i < b.length - u.length; i++) b[i] = pad;
          System.arraycopy(u, 0, b, b.length - u.length, u.length);
        } else {
          b = bytes(v, path);
          if (b.length != s.getFixedSize()) throw new IllegalArgumentException(path + ": fixed(" + s.getFixedSize() + ") needs " + s.getFixedSize() + " bytes, got " + b.length);
        }
        return new GenericData.Fixed(s, b);
      }
      case ENUM:
        if (v.isTextual() && s.getEnumSymbols().contains(v.asText())) return new GenericData.EnumSymbol(s, v.asText());
        throw bad(path, "one of " + s.getEnumSymbols(), v);
      case ARRAY: {
        if (!v.isArray()) throw bad(path, "array", v);
        List<Object> out = new ArrayList<>();
        int i = 0;
        for (JsonNode item : v) out.add(convert(s.getElementType(), item, path + "[" + i++ + "]"));
        return new GenericData.Array<>(s, out);
      }
      case MAP: {
        if (!v.isObject()) throw bad(path, "map (object)", v);
        Map<String, Object> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          out.put(e.getKey(), convert(s.getValueType(), e.getValue(), path + "." + e.getKey()));
        }
        return out;
      }
      case RECORD: {
        if (!v.isObject()) throw bad(path, "record " + s.getFullName(), v);
        GenericData.Record r = new GenericData.Record(s);
        for (Schema.Field f : s.getFields()) {
          JsonNode fv = v.get(f.name());
          if (fv == null) {
            if (f.hasDefaultValue()) {
              r.put(f.pos(), GenericData.get().deepCopy(f.schema(), GenericData.get().getDefaultValue(f)));
              continue;
            }
            if (accepts(f.schema(), Schema.Type.NULL)) {
              r.put(f.pos(), null);
              continue;
            }
            throw new IllegalArgumentException(path + "." + f.name() + ": missing, and the field has no default");
          }
          r.put(f.pos(), convert(f.schema(), fv, path + "." + f.name()));
        }
        return r;
      }
      case UNION: {
        List<Schema> branches = s.getTypes();
        if (v == null || v.isNull()) {
          if (accepts(s, Schema.Type.NULL)) return null;
          throw bad(path, "non-null union " + s, v);
        }
        // Avro's own JSON encoding of a union: {"branch name": value}
        if (v.isObject() && v.size() == 1) {
          String name = v.fieldNames().next();
          for (Schema b : branches) {
            if (name.equals(b.getFullName()) || name.equals(b.getName()) || name.equals(b.getType().getName())) {
              if (b.getType() != Schema.Type.RECORD && b.getType() != Schema.Type.MAP || !fitsAsIs(b, v)) {
                return convert(b, v.get(name), path + "<" + name + ">");
              }
            }
          }
        }
        RuntimeException first = null;
        for (Schema b : branches) {
          if (b.getType() == Schema.Type.NULL) continue;
          try {
            return convert(b, v, path);
          } catch (RuntimeException e) {
            if (first == null) first = e;
          }
        }
        throw new IllegalArgumentException(path + ": no branch of " + s + " fits " + v, first);
      }
      default:
        throw new IllegalArgumentException(path + ": unsupported Avro type " + s.getType());
    }
  }

  private static boolean fitsAsIs(Schema b, JsonNode v) {
    try {
      convert(b, v, "$");
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean accepts(Schema s, Schema.Type t) {
    if (s.getType() == t) return true;
    return s.getType() == Schema.Type.UNION && s.getTypes().stream().anyMatch(b -> b.getType() == t);
  }

  private static byte[] unscaled(LogicalTypes.Decimal d, JsonNode v, String path) {
    BigDecimal n;
    if (v.isTextual()) n = new BigDecimal(v.asText());
    else if (v.isNumber()) n = v.decimalValue();
    else throw bad(path, "decimal (string or number)", v);
    BigDecimal scaled = n.setScale(d.getScale(), RoundingMode.UNNECESSARY);
    if (scaled.precision() > d.getPrecision()) throw new IllegalArgumentException(path + ": " + n + " exceeds precision " + d.getPrecision());
    BigInteger u = scaled.unscaledValue();
    return u.toByteArray();
  }

  private static byte[] bytes(JsonNode v, String path) {
    if (v.isObject() && v.has("base64")) return Base64.getDecoder().decode(v.get("base64").asText());
    if (v.isObject() && v.has("hex")) return java.util.HexFormat.of().parseHex(v.get("hex").asText());
    if (v.isTextual()) return v.asText().getBytes(StandardCharsets.UTF_8);
    throw bad(path, "bytes ({\"base64\"}, {\"hex\"} or a string)", v);
  }

  private static IllegalArgumentException bad(String path, String want, JsonNode got) {
    return new IllegalArgumentException(path + ": expected " + want + ", got " + got);
  }
}
