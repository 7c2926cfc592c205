/** The Spring Boot sample application: orders over HTTP, run by an Ergate worker in the same app. */
@NullMarked
package dev.ergate.examples.spring;

import org.jspecify.annotations.NullMarked;
