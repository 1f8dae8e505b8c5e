package io.cvatfunction.runtime.annotate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A task's original-quality chunks, downloaded ahead on threads of their own while earlier chunks are annotated, and
 * handed out in order. At most {@code ahead} chunks are held at once (downloading, waiting or being annotated), so
 * memory stays bounded however large the task: a chunk's slot is freed by {@link #release}.
 */
final class ChunkFeed implements AutoCloseable {

  /** A downloaded chunk: the frame files to annotate in it, by task frame number. */
  record Chunk(TaskFrames.Chunk plan, Map<Integer, byte[]> frames) {}

  private static final Future<Chunk> END = CompletableFuture.completedFuture(null);

  private final CvatClient client;
  private final TaskFrames task;
  private final Semaphore slots;
  private final ExecutorService downloads;
  private final BlockingQueue<Future<Chunk>> ready = new LinkedBlockingQueue<>();
  private final Thread planner;
  private final AtomicLong downloadNanos = new AtomicLong();
  private final AtomicLong downloadedBytes = new AtomicLong();

  ChunkFeed(CvatClient client, TaskFrames task, int threads, int ahead) {
    this.client = client;
    this.task = task;
    this.slots = new Semaphore(ahead);
    AtomicInteger ids = new AtomicInteger();
    this.downloads = Executors.newFixedThreadPool(threads, r -> {
      Thread thread = new Thread(r, "cvat-chunk-download-" + ids.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    this.planner = new Thread(this::plan, "cvat-chunk-planner");
    planner.setDaemon(true);
    planner.start();
  }

  private void plan() {
    try {
      for (TaskFrames.Chunk chunk : task.chunks()) {
        slots.acquire();
        ready.add(downloads.submit(() -> download(chunk)));
      }
    } catch (InterruptedException | RejectedExecutionException closing) { // closed while planning
      return;
    }
    ready.add(END);
  }

  private Chunk download(TaskFrames.Chunk plan) throws CvatException {
    long start = System.nanoTime();
    byte[] zip = client.chunk(task.taskId(), plan.index());
    Map<Integer, byte[]> frames = new HashMap<>();
    Set<Integer> wanted = new HashSet<>(plan.frames());
    int first = plan.index() * task.chunkSize();
    int member = 0;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        if (entry.isDirectory()) {
          continue;
        }
        int frame = first + member++;
        if (wanted.contains(frame)) {
          frames.put(frame, in.readAllBytes());
        }
      }
    } catch (IOException e) {
      throw new CvatException("chunk " + plan.index() + " of task " + task.taskId() + " is not a readable ZIP ("
          + e.getMessage() + "): is it an image task?", e);
    }
    if (frames.size() != wanted.size()) {
      throw new CvatException("chunk " + plan.index() + " of task " + task.taskId() + " holds " + member
          + " frames, fewer than its frames " + FrameRanges.format(new java.util.TreeSet<>(plan.frames()))
          + " need: the task's data may have changed; run again");
    }
    downloadNanos.addAndGet(System.nanoTime() - start);
    downloadedBytes.addAndGet(zip.length);
    return new Chunk(plan, frames);
  }

  /** The next chunk in order, once downloaded; null after the last, or once {@code stopped} says so. */
  Chunk next(BooleanSupplier stopped) throws CvatException, InterruptedException {
    Future<Chunk> next = null;
    while (next == null) {
      if (stopped.getAsBoolean()) {
        return null;
      }
      next = ready.poll(100, TimeUnit.MILLISECONDS);
    }
    try {
      return next.get(); // downloaded ahead: rarely waits, and a download gives up after its retries
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CvatException cvat) {
        throw cvat;
      }
      throw new CvatException("downloading a chunk failed: " + e.getCause(), e.getCause());
    }
  }

  /** A chunk handed out is done with: another may be downloaded. */
  void release() {
    slots.release();
  }

  /** Time spent downloading and unpacking, summed over the download threads. */
  long downloadNanos() {
    return downloadNanos.get();
  }

  /** Bytes downloaded. */
  long downloadedBytes() {
    return downloadedBytes.get();
  }

  @Override
  public void close() {
    planner.interrupt();
    downloads.shutdownNow();
  }
}
