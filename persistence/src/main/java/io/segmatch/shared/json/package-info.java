/**
 * JSON Processing support shared by every module.
 */
package io.segmatch.shared.json;
