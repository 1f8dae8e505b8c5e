package io.cvatfunction.runtime.server;

import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.CvatHandler;
import io.cvatfunction.runtime.DeviceFault;
import io.cvatfunction.runtime.HandlerOptions;
import io.cvatfunction.runtime.RequestTrace;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A handler whose behaviour the request body picks: {@code sleep:MS}, {@code hold} (signals {@link #holding},
 * then waits for {@link #release}), {@code throw}, {@code error}, {@code fault} (a {@link DeviceFault}); anything else
 * is echoed. Its load can wait on
 * a latch or fail.
 */
@CvatFunction(name = "scripted", description = "test handler", model = "none", workers = 1,
    workerAvailabilityTimeoutMillis = 300, maxRequestBodySize = 1024 * 1024)
public class ScriptedHandler implements CvatHandler {

  final CountDownLatch loadGate = new CountDownLatch(1);
  final CountDownLatch holding = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);
  volatile String loadFailure;

  static ScriptedHandler loaded() {
    ScriptedHandler handler = new ScriptedHandler();
    handler.loadGate.countDown();
    return handler;
  }

  @Override
  public void load(HandlerOptions options) throws Exception {
    loadGate.await();
    if (loadFailure != null) {
      throw new IllegalStateException(loadFailure);
    }
  }

  @Override
  public Map<String, Object> serving() {
    return Map.of("decoder", "none");
  }

  @Override
  public Object handle(byte[] body, RequestTrace trace) throws Exception {
    String command = new String(body, StandardCharsets.UTF_8);
    if (command.startsWith("sleep:")) {
      Thread.sleep(Long.parseLong(command.substring(6)));
    } else if (command.equals("hold")) {
      holding.countDown();
      release.await();
    } else if (command.equals("throw")) {
      throw new IllegalStateException("boom");
    } else if (command.equals("fault")) {
      throw new DeviceFault("pretend the CUDA context broke", null);
    } else if (command.equals("error")) {
      throw new OutOfMemoryError("pretend the GPU ran out");
    }
    return List.of(Map.of("echo", command));
  }
}
