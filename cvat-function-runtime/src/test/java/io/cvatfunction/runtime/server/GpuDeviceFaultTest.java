package io.cvatfunction.runtime.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.TestDetectors;
import io.cvatfunction.runtime.image.FaultyKernel;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A real device fault on a GPU machine ({@code -Dcvat.device=gpu}, as the other GPU runs of the tests): a kernel
 * that writes to an illegal address breaks the CUDA context under a serving function; the next request gets 503 with
 * the CUDA error, {@code /ready} and {@code /live} 503, and the process is ended with status 3. {@link
 * DeviceFaultTest} shows the server's side on any machine.
 */
@EnabledIfSystemProperty(named = "cvat.device", matches = "gpu")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GpuDeviceFaultTest {

  @Test
  void anIllegalAddressInAKernelEndsTheProcessAndEveryProbeSaysWhy() throws Exception {
    LinkedBlockingQueue<Integer> exits = new LinkedBlockingQueue<>();
    byte[] frame = Fixtures.frame("000.jpg");
    try (ServerFixture fixture = ServerFixture.started(new TestDetectors.ShapesYolov8n(), Map.of(), exits::add)) {
      assertTrue(fixture.server().awaitReady(Duration.ofMinutes(2)));
      assertEquals(200, fixture.detect(frame, 0.5).statusCode());

      FaultyKernel.launch(Device.gpu());
      HttpResponse<String> failed = fixture.detect(frame, 0.5);
      assertEquals(503, failed.statusCode(), failed.body());
      assertTrue(failed.body().contains("the GPU's CUDA context is broken (CUDA_ERROR_ILLEGAL_ADDRESS)"), failed.body());
      for (String probe : new String[] {"/ready", "/live"}) {
        HttpResponse<String> answer = fixture.health(probe);
        assertEquals(503, answer.statusCode(), probe + ": " + answer.body());
      }
      assertEquals(3, exits.poll(30, TimeUnit.SECONDS));
    }
  }
}
