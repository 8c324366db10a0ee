package org.vitals.gateway.collector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * One line of a recording's NDJSON: receive time ({@code rt}, ISO-8601, and {@code rtMs}), stream,
 * topic and the payload exactly as received: as text in {@code payload} when it is UTF-8, else in
 * {@code payloadBase64}. Keeping the text (not a parsed object) keeps the bytes, so a replay
 * publishes what the device sent.
 */
public final class RecordedLine {
  static final ObjectMapper JSON = new ObjectMapper();

  private RecordedLine() {}

  public static ObjectNode of(String stream, long atMs, String topic, byte[] payload) {
    ObjectNode n = JSON.createObjectNode();
    n.put("rt", Instant.ofEpochMilli(atMs).toString());
    n.put("rtMs", atMs);
    n.put("stream", stream);
    if (topic != null) {
      n.put("topic", topic);
    }
    String text = utf8(payload);
    if (text != null) {
      n.put("payload", text);
    } else {
      n.put("payloadBase64", Base64.getEncoder().encodeToString(payload));
    }
    return n;
  }

  /** The payload bytes of a recorded line. */
  public static byte[] payload(com.fasterxml.jackson.databind.JsonNode line) {
    if (line.hasNonNull("payload")) {
      return line.get("payload").asText().getBytes(StandardCharsets.UTF_8);
    }
    if (line.hasNonNull("payloadBase64")) {
      return Base64.getDecoder().decode(line.get("payloadBase64").asText());
    }
    return null;
  }

  /** The line as bytes, LF-terminated. */
  public static byte[] bytes(ObjectNode line) {
    try {
      byte[] b = JSON.writeValueAsBytes(line);
      byte[] out = java.util.Arrays.copyOf(b, b.length + 1);
      out[b.length] = '\n';
      return out;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String utf8(byte[] b) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
