package io.cvatfunction.benchmarks;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.util.concurrent.CountDownLatch;

/**
 * The GPU memory libtorch keeps for each thread that runs an operation: {@code bench.threads} threads run
 * {@code bench.op} 20 times each, together or one after another ({@code bench.together=false}), and stay alive
 * while nvidia-smi reads this process's memory. One after another, only what each thread keeps remains; together,
 * the caching allocator also keeps the peak of their concurrent tensors. {@code matmul}: a segmentation
 * model's mask product (cuBLAS); {@code conv}: a 3×3 convolution (cuDNN).
 */
public final class ThreadStateBenchmark {

  private ThreadStateBenchmark() {}

  public static void main(String[] args) throws InterruptedException {
    int threads = Integer.getInteger("bench.threads", 16);
    String op = System.getProperty("bench.op", "conv");
    boolean together = Boolean.parseBoolean(System.getProperty("bench.together", "true"));
    if (!op.equals("matmul") && !op.equals("conv")) {
      throw new IllegalArgumentException("bench.op must be matmul or conv, got " + op);
    }
    Device device = Device.fromName(System.getProperty("cvat.device", "gpu"));
    try (NDManager base = NDManager.newBaseManager(device, "PyTorch")) {
      run(base, op); // this thread first: the kernels are loaded before the threads start
      GpuMemory.print("after one " + op + " on the main thread");
      Object oneAtATime = new Object();
      CountDownLatch done = new CountDownLatch(threads);
      CountDownLatch measured = new CountDownLatch(1);
      for (int t = 0; t < threads; t++) {
        Thread thread = new Thread(() -> {
          if (together) {
            runTwenty(base, op);
          } else {
            synchronized (oneAtATime) {
              runTwenty(base, op);
            }
          }
          done.countDown();
          try {
            measured.await(); // alive while the memory is read: a thread's state goes back to a pool when it ends
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        thread.setDaemon(true);
        thread.start();
      }
      done.await();
      GpuMemory.print(String.format("after %d threads ran %s %s", threads, op,
          together ? "together" : "one after another"));
      measured.countDown();
    }
  }

  private static void runTwenty(NDManager base, String op) {
    for (int i = 0; i < 20; i++) {
      run(base, op);
    }
  }

  private static void run(NDManager base, String op) {
    try (NDManager manager = base.newSubManager()) {
      NDArray out = op.equals("matmul")
          ? manager.randomUniform(-1f, 1f, new Shape(10, 32)).matMul(manager.randomUniform(-1f, 1f, new Shape(32, 25_600)))
          : Conv2d.conv2d(manager.randomUniform(0f, 1f, new Shape(1, 16, 160, 160)),
              manager.randomUniform(-1f, 1f, new Shape(16, 16, 3, 3))).singletonOrThrow();
      out.sum().getFloat(); // waits for the device
    }
  }
}
