package io.cvatfunction.maven.lint;

import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Reading a composed YAML node tree, keeping line numbers for messages. */
final class YamlTree {

  private YamlTree() {}

  /** The value of {@code key} in a mapping node; empty when absent or when {@code node} is no mapping. */
  static Optional<Node> get(Node node, String key) {
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
          return Optional.of(tuple.getValueNode());
        }
      }
    }
    return Optional.empty();
  }

  /** Follows a dotted path ({@code spec.triggers}); keys containing dots are not supported here. */
  static Optional<Node> path(Node root, String dotted) {
    Optional<Node> node = Optional.of(root);
    for (String key : dotted.split("\\.")) {
      node = node.flatMap(n -> get(n, key));
    }
    return node;
  }

  /** The text of a scalar node that is not YAML null; empty otherwise. */
  static Optional<String> text(Optional<Node> node) {
    return node.filter(n -> n instanceof ScalarNode s && !s.getTag().getValue().endsWith(":null"))
        .map(n -> ((ScalarNode) n).getValue());
  }

  /** The 1-based line where a node starts. */
  static int line(Node node) {
    return node.getStartMark().getLine() + 1;
  }
}
