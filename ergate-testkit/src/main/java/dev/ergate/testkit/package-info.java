/**
 * Testing Ergate: the in-memory backend, the synchronous workflow tester, and the contract
 * suites every adapter must pass.
 */
@NullMarked
package dev.ergate.testkit;

import org.jspecify.annotations.NullMarked;
