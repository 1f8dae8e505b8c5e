package io.cvatfunction.runtime.annotate;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SortedSet;

/**
 * What to annotate and how: {@code cvat:annotate}'s parameters, checked.
 *
 * @param url CVAT's address
 * @param taskId the task
 * @param frames the frames to annotate, or empty for all
 * @param threshold the confidence threshold, or empty for the function's default
 * @param clearExisting whether the task's annotations are removed first (once: not again when resuming)
 * @param allowUnmatchedLabels whether function labels, sublabels and attributes the task lacks are dropped
 * @param convMaskToPoly whether masks are uploaded as polygons
 * @param org the organization's slug, or empty
 * @param dryRun where to write CVAT's JSON instead of uploading, or empty
 * @param resume the resume file, or empty for none
 * @param downloadThreads chunks downloaded at once
 * @param chunksAhead chunks held at once
 * @param retry how failed requests are repeated
 */
public record AnnotateRequest(URI url, int taskId, Optional<SortedSet<Integer>> frames, Optional<Float> threshold,
    boolean clearExisting, boolean allowUnmatchedLabels, boolean convMaskToPoly, Optional<String> org,
    Optional<Path> dryRun, Optional<Path> resume, int downloadThreads, int chunksAhead, Retry retry) {

  /** Chunks downloaded at once unless told otherwise: as CVAT's SDK. */
  public static final int DEFAULT_DOWNLOAD_THREADS = 4;
  /** Chunks held at once unless told otherwise. */
  public static final int DEFAULT_CHUNKS_AHEAD = 6;

  /** Validates the values, each message naming the parameter and what it takes. */
  public AnnotateRequest {
    require(url != null && ("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
        && url.getHost() != null, "the CVAT url must be http(s)://host[:port], got " + url);
    require(taskId > 0, "the task id must be a positive number (the number in CVAT's task URL), got " + taskId);
    threshold.ifPresent(t -> require(t >= 0 && t <= 1, "threshold must be in [0, 1], got " + t));
    org.ifPresent(o -> require(o.matches("[A-Za-z0-9_.-]{1,64}"),
        "org must be an organization's short name (slug), got '" + o + "'"));
    require(downloadThreads > 0 && downloadThreads <= 64, "download threads must be in 1..64, got " + downloadThreads);
    require(chunksAhead >= downloadThreads, "chunks ahead (" + chunksAhead + ") must be at least the download threads ("
        + downloadThreads + ")");
    require(!(dryRun.isPresent() && clearExisting), "a dry run uploads nothing, so it cannot clear existing "
        + "annotations: leave out one of dryRun and clearExisting");
  }

  /** The server's address without a trailing path, as the REST paths are resolved against it. */
  public URI server() {
    return url.resolve("/");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
