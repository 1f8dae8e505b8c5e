package io.cvatfunction.runtime.annotate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The frames of a task already uploaded, one line per uploaded chunk, written as soon as CVAT has accepted the
 * chunk: a run that stops (a fault, Ctrl+C, a lost machine) is run again with the same file and uploads each
 * remaining frame once, and none twice. A chunk is recorded before it is sent as well, its body in a file beside
 * this one: a run that ended while CVAT was writing it (killed, or its answer lost for good) leaves a chunk
 * {@link #mayHaveLanded sent earlier}, which the next run looks for in CVAT, as it was sent, before uploading it
 * again (the model's answers for it may differ a little from one run to the next, on a GPU, or at another
 * threshold). A completed run deletes the files.
 */
public final class ResumeFile {

  private static final String HEADER = "# cvat:annotate: frames uploaded so far; run the same command to resume";
  private static final String UPLOADED = "uploaded ";
  private static final String SENDING = "sending ";

  private final Path file;
  private final SortedSet<Integer> done;
  private final SortedSet<Integer> inDoubt;

  private ResumeFile(Path file, SortedSet<Integer> done, SortedSet<Integer> inDoubt) {
    this.file = file;
    this.done = done;
    this.inDoubt = inDoubt;
  }

  /**
   * Opens {@code file}, reading what an earlier run of the same task on the same server uploaded.
   *
   * @throws CvatException when the file belongs to another task or server, or cannot be read
   */
  public static ResumeFile open(Path file, URI server, int taskId) throws CvatException {
    String identity = "task " + taskId + " " + server;
    SortedSet<Integer> done = new TreeSet<>();
    SortedSet<Integer> sent = new TreeSet<>();
    try {
      if (Files.exists(file)) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < 2 || !lines.get(1).equals(identity)) {
          throw new CvatException("the resume file " + file + " is for " + (lines.size() < 2 ? "nothing" : lines.get(1))
              + ", not " + identity + ": delete it, or give another file");
        }
        for (String line : lines.subList(2, lines.size())) {
          if (line.startsWith(UPLOADED)) {
            done.addAll(FrameRanges.parse(line.substring(UPLOADED.length())));
          } else if (line.startsWith(SENDING)) {
            sent.addAll(FrameRanges.parse(line.substring(SENDING.length())));
          }
        }
      } else {
        if (file.getParent() != null) {
          Files.createDirectories(file.getParent());
        }
        Files.writeString(file, HEADER + "\n" + identity + "\n", StandardCharsets.UTF_8);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new CvatException("cannot use the resume file " + file + ": " + e.getMessage(), e);
    }
    sent.removeAll(done);
    return new ResumeFile(file, done, sent);
  }

  /** Frames uploaded by earlier runs. */
  public SortedSet<Integer> done() {
    return done;
  }

  /** Whether an earlier run sent some of these frames' annotations without hearing that CVAT had them. */
  boolean mayHaveLanded(List<Integer> frames) {
    return frames.stream().anyMatch(inDoubt::contains);
  }

  /** The body an earlier run sent for these frames as one chunk, if it is still on disk. */
  Optional<byte[]> sentEarlier(List<Integer> frames) {
    try {
      Path body = body(frames);
      return Files.exists(body) ? Optional.of(Files.readAllBytes(body)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Records frames whose upload is about to be sent, and what is sent, on disk before it returns. */
  void sending(List<Integer> frames, byte[] sent) {
    try {
      Files.write(body(frames), sent, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE, StandardOpenOption.DSYNC);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write beside the resume file " + file, e);
    }
    append(SENDING, frames);
  }

  /** Records frames CVAT has accepted, on disk before it returns. */
  void uploaded(List<Integer> frames) {
    append(UPLOADED, frames);
    try {
      Files.deleteIfExists(body(frames));
    } catch (IOException e) {
      // left for complete() to delete
    }
  }

  private synchronized void append(String what, List<Integer> frames) {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND,
        StandardOpenOption.DSYNC)) {
      out.write(what + FrameRanges.format(new TreeSet<>(frames)) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the resume file " + file, e);
    }
  }

  /** Where the body sent for these frames is kept until CVAT has accepted it. */
  private Path body(List<Integer> frames) {
    SortedSet<Integer> sorted = new TreeSet<>(frames);
    return file.resolveSibling(file.getFileName() + "." + sorted.first() + "-" + sorted.last() + ".json");
  }

  /** The file. */
  public Path path() {
    return file;
  }

  /** Deletes the files: the task is done. */
  void complete() throws IOException {
    Path folder = file.toAbsolutePath().getParent();
    String prefix = file.getFileName() + ".";
    try (DirectoryStream<Path> bodies = Files.newDirectoryStream(folder,
        p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".json"))) {
      for (Path body : bodies) {
        Files.deleteIfExists(body);
      }
    }
    Files.deleteIfExists(file);
  }
}
