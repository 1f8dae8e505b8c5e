package io.cvatfunction.maven.spec;

import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Writes a function config as YAML, byte for byte the same for the same input: keys in insertion order,
 * block style, LF line ends, multi-line strings (the label JSON) as {@code |} blocks, no timestamps.
 */
public final class SpecYaml {

  private SpecYaml() {}

  /** The YAML text of {@code config}. */
  public static String write(Map<String, Object> config) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setIndicatorIndent(2);
    options.setIndentWithIndicator(true);
    options.setLineBreak(DumperOptions.LineBreak.UNIX);
    options.setWidth(Integer.MAX_VALUE);
    options.setSplitLines(false);
    return new Yaml(new LiteralBlocks(options), options).dump(config);
  }

  /** Represents strings with line breaks as literal blocks, the way CVAT's YAMLs hold their label JSON. */
  private static final class LiteralBlocks extends Representer {
    LiteralBlocks(DumperOptions options) {
      super(options);
      Represent plain = representers.get(String.class);
      representers.put(String.class, data -> {
        String text = data.toString();
        return text.contains("\n")
            ? representScalar(Tag.STR, text, DumperOptions.ScalarStyle.LITERAL)
            : plain.representData(data);
      });
    }
  }
}
