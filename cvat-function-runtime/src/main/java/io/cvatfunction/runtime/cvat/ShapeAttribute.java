package io.cvatfunction.runtime.cvat;

/**
 * An attribute value of a returned shape. CVAT keeps it only when the label declares the attribute and
 * the value is allowed (for a checkbox {@code "true"} or {@code "false"}).
 *
 * @param name the attribute's name
 * @param value its value, as CVAT expects it: a string
 */
public record ShapeAttribute(String name, String value) {}
