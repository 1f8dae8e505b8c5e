package io.cvatfunction.maven.nuclio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Parsing nuctl get function -o json, in both of its forms. */
class FunctionStatusTest {

  // spotless:off - nuctl indents its JSON with tabs; the fixture keeps them.
  private static final String SINGLE = """
      {
      	"metadata": {
      		"name": "shapes-detector",
      		"namespace": "nuclio"
      	},
      	"spec": {
      		"runtime": "java"
      	},
      	"status": {
      		"state": "ready",
      		"httpPort": 32768,
      		"internalInvocationUrls": ["172.18.0.7:8080"],
      		"externalInvocationUrls": ["0.0.0.0:32768"]
      	}
      }
      """;
  // spotless:on

  @Test
  void readsTheSingleObjectForm() throws Exception {
    FunctionStatus status = FunctionStatus.parse(SINGLE, "shapes-detector");
    assertEquals(new FunctionStatus("shapes-detector", "ready", "", 32768, List.of("172.18.0.7:8080"),
        List.of("0.0.0.0:32768")), status);
    assertEquals(Optional.of("http://localhost:32768"), status.invocationUrl("local"));
    assertFalse(status.provisioning());
  }

  @Test
  void readsTheListFormAndPicksTheFunctionByName() throws Exception {
    String list = "[\n" + SINGLE.replace("shapes-detector", "other").replace("ready", "error") + ",\n" + SINGLE + "]";
    FunctionStatus status = FunctionStatus.parse(list, "shapes-detector");
    assertEquals("ready", status.state());
    assertEquals(32768, status.httpPort());
  }

  @Test
  void skipsLogLinesBeforeTheJson() throws Exception {
    String output = "25.01.02 14:26:48.123 nuctl (W) Something to say {\"a\": 1}\n" + SINGLE;
    assertEquals("ready", FunctionStatus.parse(output, "shapes-detector").state());
  }

  @Test
  void saysWhatIsMissing() {
    assertTrue(assertThrows(NuclioException.class, () -> FunctionStatus.parse("No functions found", "x"))
        .getMessage().startsWith("nuctl printed no JSON for get function -o json: No functions found"));
    assertTrue(assertThrows(NuclioException.class, () -> FunctionStatus.parse(SINGLE, "other"))
        .getMessage().startsWith("nuctl's answer does not include function other"));
    assertTrue(assertThrows(NuclioException.class, () -> FunctionStatus.parse("{\"metadata\": ", "x"))
        .getMessage().startsWith("nuctl's get function -o json output is not valid JSON"));
  }

  @Test
  void knowsWhichStatesBlockAnUpdate() {
    for (String state : List.of("building", "waitingForBuild", "configuringResources",
        "waitingForResourceConfiguration")) {
      assertTrue(new FunctionStatus("f", state, "", 0, List.of(), List.of()).provisioning(), state);
    }
    for (String state : List.of("ready", "error", "unhealthy", "scaledToZero", "imported")) {
      assertFalse(new FunctionStatus("f", state, "", 0, List.of(), List.of()).provisioning(), state);
    }
  }

  @Test
  void onKubeTheExternalUrlComesFirstThenTheInternalOne() {
    FunctionStatus both = new FunctionStatus("f", "ready", "", 0, List.of("nuclio-f.nuclio.svc.cluster.local:8080"),
        List.of("f.example.com/path"));
    assertEquals(Optional.of("http://f.example.com/path"), both.invocationUrl("kube"));
    FunctionStatus internal = new FunctionStatus("f", "ready", "", 0, List.of("nuclio-f.nuclio.svc.cluster.local:8080"),
        List.of());
    assertEquals(Optional.of("http://nuclio-f.nuclio.svc.cluster.local:8080"), internal.invocationUrl("kube"));
    assertEquals(Optional.empty(), internal.invocationUrl("local"), "no published port on local");
  }
}
