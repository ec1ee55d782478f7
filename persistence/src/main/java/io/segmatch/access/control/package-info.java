/**
 * Access control as plain Java: roles and what they include, password hashing, API tokens and
 * usernames. No container types: unit-tested directly.
 */
package io.segmatch.access.control;
