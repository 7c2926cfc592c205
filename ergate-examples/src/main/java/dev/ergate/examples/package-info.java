/**
 * The runnable demo: order processing (validate, reserve stock, charge, ship or e-mail a
 * download link) over the backend of your choice, with live progress and a summary. Start it
 * with {@link dev.ergate.examples.Demo}.
 */
@NullMarked
package dev.ergate.examples;

import org.jspecify.annotations.NullMarked;
