/**
 * PostgreSQL backend for Ergate: a {@link dev.ergate.jdbc.JdbcJobStore job store} you can query
 * with SQL, a {@link dev.ergate.jdbc.JdbcJobQueue job queue} in the same database (leases claimed
 * with {@code FOR UPDATE SKIP LOCKED}, idle workers woken by {@code LISTEN/NOTIFY}), a {@link
 * dev.ergate.jdbc.JdbcJobSource} for the publisher, and the versioned schema they share. Start
 * from {@link dev.ergate.jdbc.JdbcBackend}.
 */
@NullMarked
package dev.ergate.jdbc;

import org.jspecify.annotations.NullMarked;
