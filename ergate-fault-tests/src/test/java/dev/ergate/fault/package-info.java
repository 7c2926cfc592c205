/**
 * The fault suite: worker crashes, backend outages, hostile input and shutdown under load, run
 * against every adapter. Test code only; the figures it prints go to {@code RELIABILITY.md}.
 */
@NullMarked
package dev.ergate.fault;

import org.jspecify.annotations.NullMarked;
