package io.cvatfunction.runtime.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cvatfunction.contract.ServerMain;
import org.junit.jupiter.api.Test;

class ServerMainTest {

  @Test
  void thePluginStartsTheServerByItsRealName() {
    // cvat:run and the image's entrypoint name the main class as a string: a rename here must move it there.
    assertEquals(FunctionServer.class.getName(), ServerMain.CLASS_NAME);
  }
}
