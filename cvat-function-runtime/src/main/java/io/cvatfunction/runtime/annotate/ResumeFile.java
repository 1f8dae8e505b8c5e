package io.cvatfunction.runtime.annotate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The frames of a task already uploaded, one line per uploaded chunk, written as soon as CVAT has accepted the
 * chunk: a run that stops (a fault, Ctrl+C, a lost machine) is run again with the same file and uploads each
 * remaining frame once, and none twice. A completed run deletes it.
 */
public final class ResumeFile {

  private static final String HEADER = "# cvat:annotate: frames uploaded so far; run the same command to resume";

  private final Path file;
  private final SortedSet<Integer> done;

  private ResumeFile(Path file, SortedSet<Integer> done) {
    this.file = file;
    this.done = done;
  }

  /**
   * Opens {@code file}, reading what an earlier run of the same task on the same server uploaded.
   *
   * @throws CvatException when the file belongs to another task or server, or cannot be read
   */
  public static ResumeFile open(Path file, URI server, int taskId) throws CvatException {
    String identity = "task " + taskId + " " + server;
    SortedSet<Integer> done = new TreeSet<>();
    try {
      if (Files.exists(file)) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < 2 || !lines.get(1).equals(identity)) {
          throw new CvatException("the resume file " + file + " is for " + (lines.size() < 2 ? "nothing" : lines.get(1))
              + ", not " + identity + ": delete it, or give another file");
        }
        for (String line : lines.subList(2, lines.size())) {
          if (line.startsWith("uploaded ")) {
            done.addAll(FrameRanges.parse(line.substring("uploaded ".length())));
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
    return new ResumeFile(file, done);
  }

  /** Frames uploaded by earlier runs. */
  public SortedSet<Integer> done() {
    return done;
  }

  /** Records frames CVAT has accepted, on disk before it returns. */
  synchronized void uploaded(List<Integer> frames) {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND,
        StandardOpenOption.DSYNC)) {
      out.write("uploaded " + FrameRanges.format(new TreeSet<>(frames)) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the resume file " + file, e);
    }
  }

  /** The file. */
  public Path path() {
    return file;
  }

  /** Deletes the file: the task is done. */
  void complete() throws IOException {
    Files.deleteIfExists(file);
  }
}
