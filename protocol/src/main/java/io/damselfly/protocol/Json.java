package io.damselfly.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;

/** The one JSON codec of the protocol: unknown fields ignored (forward compatible), nulls omitted. */
public final class Json {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
          .configure(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS, true)
          .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private Json() {}

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  public static String writeString(Object value) {
    return new String(write(value), java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Decodes {@code bytes} as {@code type}.
   *
   * @throws IllegalArgumentException with a short reason when the JSON is malformed or of the wrong
   *     shape, including a validation message from the record's constructor
   */
  public static <T> T read(byte[] bytes, Class<T> type) {
    try {
      T value = MAPPER.readValue(bytes, type);
      if (value == null) {
        throw new IllegalArgumentException("body must be a JSON " + type.getSimpleName() + ", got null");
      }
      return value;
    } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalArgumentException("invalid " + type.getSimpleName() + ": " + cause.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "body must be a JSON " + type.getSimpleName() + ": " + firstLine(originalMessage(e)), e);
    }
  }

  public static ObjectMapper mapper() {
    return MAPPER.copy();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "malformed";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }

  private static String originalMessage(IOException e) {
    return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
  }
}
