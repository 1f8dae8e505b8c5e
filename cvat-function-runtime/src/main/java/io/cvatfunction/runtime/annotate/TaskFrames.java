package io.cvatfunction.runtime.annotate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The frames of an image task that are to be annotated, chunk by chunk: the task's frames {@code 0..size-1}, or the
 * ones asked for, less the deleted ones and those a previous run already uploaded. A task that cannot be annotated
 * (3D, video, no data) is refused here, before any work.
 *
 * @param taskId the task
 * @param name the task's name
 * @param size frames in the task
 * @param chunkSize frames per chunk
 * @param frameNames each frame's file name, by frame number
 * @param chunks what to do, in chunk order; only chunks with frames to annotate
 * @param skippedDeleted deleted frames left out
 */
public record TaskFrames(int taskId, String name, int size, int chunkSize, List<String> frameNames,
    List<Chunk> chunks, int skippedDeleted) {

  /**
   * The frames to annotate in one chunk.
   *
   * @param index the chunk's number
   * @param frames the task frames to annotate in it, ascending
   */
  public record Chunk(int index, List<Integer> frames) {}

  /** Frames to annotate in all. */
  public int frameCount() {
    return chunks.stream().mapToInt(c -> c.frames().size()).sum();
  }

  /** Every frame to annotate. */
  public SortedSet<Integer> frames() {
    SortedSet<Integer> all = new TreeSet<>();
    chunks.forEach(c -> all.addAll(c.frames()));
    return all;
  }

  /**
   * Refuses a task that cannot be annotated: 3D, video, or without data.
   *
   * @throws CvatException saying which
   */
  public static void checkAnnotatable(JsonNode task) throws CvatException {
    int id = task.path("id").asInt();
    String what = "task " + id + " ('" + task.path("name").asText() + "')";
    if ("3d".equals(task.path("dimension").asText())) {
      throw new CvatException(what + " is a 3D (point cloud) task: cvat:annotate annotates 2D image tasks only");
    }
    if ("video".equals(task.path("data_original_chunk_type").asText())
        || "video".equals(task.path("data_compressed_chunk_type").asText())) {
      throw new CvatException(what + " is a video task: cvat:annotate annotates image tasks only (as CVAT's own "
          + "auto-annotate); annotate it from CVAT's Actions > Automatic annotation with the deployed function");
    }
    int size = task.path("size").asInt(0);
    if (size <= 0 || task.path("data_chunk_size").asInt(0) <= 0) {
      throw new CvatException(what + " has no frames: upload its images in CVAT first");
    }
  }

  /**
   * Plans a task.
   *
   * @param task {@code /api/tasks/{id}}
   * @param meta {@code /api/tasks/{id}/data/meta}
   * @param wanted the frames asked for, or empty for all
   * @param done frames already uploaded by an earlier run
   * @throws CvatException when the task cannot be annotated, or the frames asked for are not in it
   */
  public static TaskFrames plan(JsonNode task, JsonNode meta, Optional<SortedSet<Integer>> wanted,
      SortedSet<Integer> done) throws CvatException {
    checkAnnotatable(task);
    int id = task.path("id").asInt();
    String what = "task " + id + " ('" + task.path("name").asText() + "')";
    int size = task.path("size").asInt(0);
    int chunkSize = meta.path("chunk_size").asInt(task.path("data_chunk_size").asInt(0));
    SortedSet<Integer> deleted = new TreeSet<>();
    meta.path("deleted_frames").forEach(f -> deleted.add(f.asInt()));
    List<String> names = new ArrayList<>(size);
    meta.path("frames").forEach(f -> names.add(f.path("name").asText()));
    SortedSet<Integer> frames = new TreeSet<>();
    if (wanted.isPresent()) {
      if (wanted.get().last() >= size) {
        throw new CvatException("frames " + FrameRanges.format(wanted.get()) + " are not all in " + what
            + ", whose frames are 0-" + (size - 1));
      }
      frames.addAll(wanted.get());
    } else {
      for (int frame = 0; frame < size; frame++) {
        frames.add(frame);
      }
    }
    int before = frames.size();
    frames.removeAll(deleted);
    int skippedDeleted = before - frames.size();
    if (frames.isEmpty()) {
      throw new CvatException(what + " has no frames to annotate: every frame asked for is deleted");
    }
    frames.removeAll(done);
    List<Chunk> chunks = new ArrayList<>();
    List<Integer> current = new ArrayList<>();
    int chunk = -1;
    for (int frame : frames) {
      if (frame / chunkSize != chunk && !current.isEmpty()) {
        chunks.add(new Chunk(chunk, List.copyOf(current)));
        current.clear();
      }
      chunk = frame / chunkSize;
      current.add(frame);
    }
    if (!current.isEmpty()) {
      chunks.add(new Chunk(chunk, List.copyOf(current)));
    }
    return new TaskFrames(id, task.path("name").asText(), size, chunkSize, List.copyOf(names), List.copyOf(chunks),
        skippedDeleted);
  }
}
