/** The console's Data lifecycle page: forgetting a person, history retention. */
package io.segmatch.lifecycle.view;
