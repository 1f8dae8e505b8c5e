package io.cvatfunction.runtime.annotate;

import io.cvatfunction.runtime.Detector;
import io.cvatfunction.runtime.HandlerOptions;
import io.cvatfunction.runtime.cvat.CvatStandIn;
import io.cvatfunction.runtime.cvat.LabelSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/** Runs {@link Annotation} against a {@link CvatStandIn} with a detector already loaded, and keeps its output. */
final class AnnotateFixture {

  static final String TOKEN = "pat-3f9c1e7d5b";
  static final String USER = "annotator";
  static final String PASSWORD = "s3cret-pa55";

  /** A run's exit status and everything it printed. */
  record Outcome(int status, String output) {}

  private AnnotateFixture() {}

  /** A stand-in that knows the user, its token, and organization {@code lab}. */
  static CvatStandIn standIn() {
    return new CvatStandIn().user(USER, PASSWORD, "lab").accessToken(USER, TOKEN).maxPageSize(2);
  }

  /** The request for a task with every option at its default. */
  static Builder request(CvatStandIn standIn, CvatStandIn.Task task) {
    return new Builder(standIn, task.id());
  }

  /** A request, option by option. */
  static final class Builder {
    private final CvatStandIn standIn;
    private int task;
    Optional<SortedSet<Integer>> frames = Optional.empty();
    boolean clear;
    boolean allowUnmatched;
    boolean convMaskToPoly;
    Optional<String> org = Optional.empty();
    Optional<Path> dryRun = Optional.empty();
    Optional<Path> resume = Optional.empty();
    CvatCredentials credentials = new CvatCredentials.Token(TOKEN);

    Builder(CvatStandIn standIn, int task) {
      this.standIn = standIn;
      this.task = task;
    }

    Builder task(int id) {
      task = id;
      return this;
    }

    Builder frames(String ranges) {
      frames = Optional.of(FrameRanges.parse(ranges));
      return this;
    }

    Builder clear() {
      clear = true;
      return this;
    }

    Builder allowUnmatched() {
      allowUnmatched = true;
      return this;
    }

    Builder convMaskToPoly() {
      convMaskToPoly = true;
      return this;
    }

    Builder org(String slug) {
      org = Optional.of(slug);
      return this;
    }

    Builder dryRun(Path file) {
      dryRun = Optional.of(file);
      return this;
    }

    Builder resume(Path file) {
      resume = Optional.of(file);
      return this;
    }

    Builder credentials(CvatCredentials given) {
      credentials = given;
      return this;
    }

    AnnotateRequest build() {
      return new AnnotateRequest(standIn.url(), task, frames, Optional.empty(), clear, allowUnmatched, convMaskToPoly,
          org, dryRun, resume, 2, 3, new Retry(4, Duration.ofMillis(5), Duration.ofSeconds(5)));
    }

    /**
     * Runs with {@code detector}, which is already loaded and stays loaded; its labels are read before it "loads", as
     * the image's command reads them.
     */
    Outcome run(Detector detector, String confidenceAttribute) {
      return run(new Annotation.DetectorLoader() {
        @Override
        public List<LabelSpec> labels() throws Exception {
          return detector.labelSpecs(HandlerOptions.cpu());
        }

        @Override
        public Annotation.Loaded load() {
          return new Annotation.Loaded(detector, 4);
        }
      }, confidenceAttribute);
    }

    /** Runs with the function {@code loader} gives. */
    Outcome run(Annotation.DetectorLoader loader, String confidenceAttribute) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
      int status = Annotation.run(build(), credentials, loader, confidenceAttribute, out);
      return new Outcome(status, bytes.toString(StandardCharsets.UTF_8));
    }
  }
}
