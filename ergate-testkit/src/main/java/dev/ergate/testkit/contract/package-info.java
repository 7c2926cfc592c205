/**
 * The adapter contract suites (the TCK): abstract JUnit 5 classes that check a backend against
 * the semantics written in {@link dev.ergate.spi}. An adapter's test is a small subclass that
 * supplies a new, empty backend for each test; the in-memory backend runs the same suites in
 * the testkit's own build.
 */
@NullMarked
package dev.ergate.testkit.contract;

import org.jspecify.annotations.NullMarked;
