/**
 * Spring Boot auto-configuration of Ergate: {@link dev.ergate.spring.boot.ErgateProperties} ({@code
 * ergate.*}), the backend beans, the {@link dev.ergate.runtime.ErgateClient} and the {@link
 * dev.ergate.spring.boot.ErgateWorker} lifecycle. See the module's README.
 */
@NullMarked
package dev.ergate.spring.boot;

import org.jspecify.annotations.NullMarked;
