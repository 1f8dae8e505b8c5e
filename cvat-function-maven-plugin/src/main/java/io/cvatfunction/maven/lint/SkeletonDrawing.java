package io.cvatfunction.maven.lint;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The nodes and edges of a skeleton label's {@code svg}, as CVAT reads them: each {@code data-type="element node"}
 * element is a keypoint (its {@code data-node-id}, and the sublabel it draws, {@code data-label-name}), each {@code
 * data-type="edge"} element a line between two node ids ({@code data-node-from}, {@code data-node-to}).
 *
 * <p>The svg is an XML fragment of sibling elements without a root (CVAT's label editor writes it so), read here
 * wrapped in one by the JDK's XML parser rather than by patterns over the text: attributes in any order or quoting
 * and character entities in a name (an escaped ampersand or quote) are read as any SVG reader reads them, and markup
 * that is not well-formed is reported rather than guessed at. A document type is refused, so the parser never
 * fetches or expands an entity the text declares.
 *
 * @param nodes the keypoints, in document order
 * @param edges the lines, in document order
 */
public record SkeletonDrawing(List<Node> nodes, List<Edge> edges) {

  /**
   * One keypoint of the drawing.
   *
   * @param id its {@code data-node-id}, as written; empty when it has none
   * @param sublabel its {@code data-label-name}; empty when it has none
   */
  public record Node(String id, String sublabel) {}

  /**
   * One line of the drawing.
   *
   * @param from its {@code data-node-from}, as written
   * @param to its {@code data-node-to}, as written
   */
  public record Edge(String from, String to) {}

  /**
   * Reads an svg fragment.
   *
   * @throws IllegalArgumentException when it is not well-formed markup, saying where
   */
  public static SkeletonDrawing parse(String svg) {
    org.w3c.dom.Document document;
    try {
      DocumentBuilder builder = factory().newDocumentBuilder();
      builder.setErrorHandler(new DefaultHandler()); // no parser chatter on stderr; errors arrive as exceptions
      document = builder.parse(new InputSource(new StringReader("<svg-fragment>" + svg + "</svg-fragment>")));
    } catch (SAXException e) {
      throw new IllegalArgumentException("the svg is not well-formed markup (" + e.getMessage() + ")", e);
    } catch (ParserConfigurationException | IOException e) {
      throw new IllegalStateException("the JDK's XML parser cannot read a string: " + e.getMessage(), e);
    }
    List<Node> nodes = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    NodeList elements = document.getDocumentElement().getElementsByTagName("*");
    for (int i = 0; i < elements.getLength(); i++) {
      Element element = (Element) elements.item(i);
      String type = element.getAttribute("data-type").trim();
      if (type.equals("element node")) {
        nodes.add(new Node(element.getAttribute("data-node-id").trim(), element.getAttribute("data-label-name")));
      } else if (type.equals("edge")) {
        edges.add(new Edge(element.getAttribute("data-node-from").trim(), element.getAttribute("data-node-to").trim()));
      }
    }
    return new SkeletonDrawing(List.copyOf(nodes), List.copyOf(edges));
  }

  /** The node with this id, if there is exactly one. */
  public Optional<Node> node(String id) {
    List<Node> found = nodes.stream().filter(n -> n.id().equals(id)).toList();
    return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
  }

  private static DocumentBuilderFactory factory() throws ParserConfigurationException {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
    factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    factory.setXIncludeAware(false);
    factory.setExpandEntityReferences(false);
    factory.setNamespaceAware(false);
    return factory;
  }
}
