/**
 * Infrastructure shared by every component: the datasource definition, the schema
 * migration at startup, configuration, and the business exception type.
 */
package io.segmatch.shared.control;
