/**
 * Code the Ergate modules share: <b>not API</b>. Anything here may change or go in any release
 * without notice; only Ergate's own modules may use it (an ArchUnit rule in the build checks
 * that), and it is left out of the published javadoc.
 */
@NullMarked
package dev.ergate.internal;

import org.jspecify.annotations.NullMarked;
