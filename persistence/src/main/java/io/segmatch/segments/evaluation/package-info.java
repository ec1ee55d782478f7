/**
 * Rule evaluation, in Java ({@link io.segmatch.segments.evaluation.RuleEvaluator}) and as SQL
 * over the stored rows ({@link io.segmatch.segments.evaluation.RuleSql}); both follow
 * docs/segments.md and are held to the same answers by one shared test suite.
 */
package io.segmatch.segments.evaluation;
