/**
 * Ergate's Amazon SQS queue: {@link dev.ergate.sqs.SqsJobQueue}, configured by {@link
 * dev.ergate.sqs.SqsQueueOptions}, on an {@code SqsClient} of the user's or one built from
 * {@link dev.ergate.sqs.SqsOptions}.
 */
@NullMarked
package dev.ergate.sqs;

import org.jspecify.annotations.NullMarked;
