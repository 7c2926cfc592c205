/**
 * Where this build's tests find Redis, PostgreSQL and SQS, in one place for every module: the
 * environment variable, else the local default, else a Testcontainers container when Docker is
 * there, else a one-line skip (a failure under {@code ERGATE_REQUIRE_BACKENDS=true}). Not
 * published; see the module README.
 */
@NullMarked
package dev.ergate.testbackends;

import org.jspecify.annotations.NullMarked;
