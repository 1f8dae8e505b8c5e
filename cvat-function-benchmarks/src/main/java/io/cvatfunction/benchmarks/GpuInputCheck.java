package io.cvatfunction.benchmarks;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cvatfunction.runtime.Fixtures;
import io.cvatfunction.runtime.JpegLayouts;
import io.cvatfunction.runtime.RequestTrace;
import io.cvatfunction.runtime.image.FrameDecoder;
import io.cvatfunction.runtime.image.FramePreprocessor;
import io.cvatfunction.runtime.image.ModelInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * On a GPU machine: the model input the GPU path (nvJPEG + the frame kernel) makes for each of
 * {@link JpegLayouts}' frames, compared value for value with the CPU path's (OpenCV), and the time each path takes
 * for a 1080p frame. Exits 1 when any value is at another grey level.
 *
 * <pre>$JAVA -cp "$CP" io.cvatfunction.benchmarks.GpuInputCheck</pre>
 */
public final class GpuInputCheck {

  private GpuInputCheck() {}

  public static void main(String[] args) throws Exception {
    FrameDecoder rules = new FrameDecoder(50_000_000);
    int mismatched = 0;
    try (NDManager manager = NDManager.newBaseManager(Device.gpu(), "PyTorch");
        FramePreprocessor gpu = FramePreprocessor.create(rules, 640, 640, "auto", manager);
        FramePreprocessor cpu = FramePreprocessor.create(rules, 640, 640, "cpu", manager)) {
      if (!gpu.decodesOnGpu()) {
        System.out.println("the GPU path did not open (see the log above)");
        System.exit(1);
      }
      for (Map.Entry<String, byte[]> frame : JpegLayouts.frames().entrySet()) {
        try (NDManager request = manager.newSubManager()) {
          ModelInput onGpu = gpu.prepare(frame.getValue(), request, new RequestTrace());
          ModelInput onCpu = cpu.prepare(frame.getValue(), request, new RequestTrace());
          float[] a = onGpu.batch().toFloatArray();
          float[] b = onCpu.batch().toFloatArray();
          int levels = 0;
          int bits = 0;
          for (int i = 0; i < a.length; i++) {
            levels += Math.round(a[i] * 255) == Math.round(b[i] * 255) ? 0 : 1;
            bits += a[i] == b[i] ? 0 : 1;
          }
          mismatched += levels > 0 ? 1 : 0;
          System.out.printf("%-30s %d of %d values at another grey level (%d not bit-equal)%n", frame.getKey(),
              levels, a.length, bits);
        }
      }
      byte[] hd = Fixtures.frame("000.jpg");
      System.out.printf("%n1080p frame to model input, median of 200 (synchronised): GPU path %.2f ms, CPU path %.2f ms%n",
          median(gpu, hd, manager), median(cpu, hd, manager));
    }
    System.out.println(mismatched == 0 ? "every input equal" : mismatched + " frames differ");
    System.exit(mismatched == 0 ? 0 : 1);
  }

  private static double median(FramePreprocessor frames, byte[] jpeg, NDManager manager) throws Exception {
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < 230; i++) {
      try (NDManager request = manager.newSubManager()) {
        long start = System.nanoTime();
        NDArray batch = frames.prepare(jpeg, request, new RequestTrace()).batch();
        batch.get(0, 0, 0, 0).getFloat(); // waits for the device
        if (i >= 30) {
          times.add((System.nanoTime() - start) / 1e6);
        }
      }
    }
    times.sort(null);
    return times.get(times.size() / 2);
  }

}
