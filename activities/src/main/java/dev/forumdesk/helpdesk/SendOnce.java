package dev.forumdesk.helpdesk;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A help-desk call that makes something (a ticket, a comment) and must reach the desk at most once
 * per attempt. OkHttp repeats a request on its own when a kept-alive connection ends before the
 * answer, taking it for a stale one; the desk may have done the work all the same. Such a failure
 * is ours to retry instead, and our retries look for what the lost attempt made first (the twin
 * marker). Calls that only read, or set a field, stay repeatable.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface SendOnce {}
