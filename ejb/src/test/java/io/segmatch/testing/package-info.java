/**
 * Test support shared by the modules' integration tests: a real PostgreSQL per test class.
 */
package io.segmatch.testing;
