package io.cvatfunction.runtime.cvat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.cvatfunction.runtime.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DetectorRequestTest {

  private static DetectorRequest parse(String json) throws BadRequestException {
    return DetectorRequest.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsImageAndThreshold() throws BadRequestException {
    DetectorRequest request = parse("{\"image\": \"AQID\", \"threshold\": 0.25, \"extra\": {\"a\": [1, 2]}}");
    assertArrayEquals(new byte[] {1, 2, 3}, request.image());
    assertEquals(Optional.of(0.25f), request.threshold());
  }

  @Test
  void thresholdIsOptionalForTheDetectorsDefault() throws BadRequestException {
    assertEquals(Optional.empty(), parse("{\"image\": \"AQID\"}").threshold(), "the detector's default applies");
    assertEquals(Optional.empty(), parse("{\"image\": \"AQID\", \"threshold\": null}").threshold());
    assertEquals(Optional.of(0f), parse("{\"threshold\": 0, \"image\": \"AQID\"}").threshold());
    assertEquals(Optional.of(1f), parse("{\"threshold\": 1, \"image\": \"AQID\"}").threshold());
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiter = '|', value = {
      "''|the request body is empty",
      "'   '|the request body is empty",
      "not json|not valid JSON",
      "[1, 2]|must be a JSON object, not an array",
      "\"image\"|must be a JSON object, not a string",
      "{\"image\": \"AQID\"|not valid JSON",
      "{\"image\": \"AQID\"} {}|data after its JSON object",
      "{}|has no \"image\" field",
      "{\"image\": null}|\"image\" must be a base64 string, not null",
      "{\"image\": 42}|\"image\" must be a base64 string, not a number",
      "{\"image\": [\"AQID\"]}|\"image\" must be a base64 string, not an array",
      "{\"image\": \"\"}|\"image\" is empty",
      "{\"image\": \"not base64!\"}|\"image\" is not valid base64",
      "{\"image\": \"data:image/jpeg;base64,AQID\"}|\"image\" is not valid base64",
      "{\"image\": \"AQID\", \"image\": \"AQID\"}|not valid JSON",
      "{\"image\": \"AQID\", \"threshold\": \"0.5\"}|\"threshold\" must be a number in [0, 1], not a string",
      "{\"image\": \"AQID\", \"threshold\": true}|\"threshold\" must be a number in [0, 1], not a boolean",
      "{\"image\": \"AQID\", \"threshold\": 1.5}|\"threshold\" must be in [0, 1], got 1.5",
      "{\"image\": \"AQID\", \"threshold\": -0.1}|\"threshold\" must be in [0, 1], got -0.1",
      "{\"image\": \"AQID\", \"threshold\": 1e999}|\"threshold\" must be in [0, 1]",
  })
  void rejectsWithAMessageNamingTheProblem(String body, String expected) {
    BadRequestException e = assertThrows(BadRequestException.class, () -> parse(body));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains(expected), () -> "message was: " + e.getMessage());
  }

  @Test
  void rejectsDeepNestingAndBadEncoding() {
    String deep = "{\"x\": " + "[".repeat(10_000) + "]".repeat(10_000) + ", \"image\": \"AQID\"}";
    assertThrows(BadRequestException.class, () -> parse(deep));
    byte[] latin1 = "{\"image\": \"AQID\", \"note\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    BadRequestException e = assertThrows(BadRequestException.class, () -> DetectorRequest.parse(latin1));
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
  }

  @Test
  void anImageDecodesToTheSameBytesWhicheverDecoderTakesIt() throws Exception {
    java.util.Random random = new java.util.Random(7);
    JsonFactory jackson = new JsonFactory();
    for (int length : new int[] {0, 1, 2, 3, 4, 5, 57, 58, 59, 1000, 418_921}) {
      byte[] frame = new byte[length];
      random.nextBytes(frame);
      String b64 = java.util.Base64.getEncoder().encodeToString(frame);
      // Canonical: the JDK's decoder on the body's bytes. Escaped slashes, unpadded, MIME line breaks:
      // the parser's decoder. Both must give what the parser alone gives (or refuse as it refuses).
      for (String encoded : new String[] {b64, b64.replace("/", "\\/"), b64.replace("=", ""),
          b64.length() > 76 ? b64.substring(0, 76) + "\\n" + b64.substring(76) : b64}) {
        String body = "{\"threshold\": 0.3, \"image\": \"" + encoded + "\"}";
        byte[] expected;
        try (JsonParser parser = jackson.createParser(body)) {
          while (parser.nextToken() != JsonToken.VALUE_STRING) {
            // to the image
          }
          expected = parser.getBinaryValue();
        } catch (JsonProcessingException refused) {
          expected = null;
        }
        if (expected == null || expected.length == 0) {
          assertThrows(BadRequestException.class, () -> parse(body), encoded);
        } else {
          assertArrayEquals(expected, parse(body).image(), encoded);
          assertArrayEquals(frame, expected);
        }
      }
    }
  }

  @Test
  void onlyCanonicalBase64TakesTheFastDecoder() {
    String json = "{\"a\": \"AQID\", \"b\": \"AQ\\/D\", \"c\": \"AQ\", \"d\": \"AQID";
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(new byte[] {1, 2, 3}, DetectorRequest.canonicalBase64(body, json.indexOf("\"AQID\"")));
    assertNull(DetectorRequest.canonicalBase64(body, json.indexOf("\"AQ\\")), "an escape: the parser decodes");
    assertNull(DetectorRequest.canonicalBase64(body, json.indexOf("\"AQ\",")), "unpadded: the parser decides");
    assertNull(DetectorRequest.canonicalBase64(body, json.indexOf(" \"AQID\"")), "not at a quote");
    assertNull(DetectorRequest.canonicalBase64(body, json.lastIndexOf("\"AQID")), "no closing quote");
  }
}
