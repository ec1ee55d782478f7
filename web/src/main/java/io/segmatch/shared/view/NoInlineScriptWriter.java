package io.segmatch.shared.view;

import jakarta.faces.component.UIComponent;
import jakarta.faces.context.FacesContext;
import jakarta.faces.context.ResponseWriter;
import jakarta.faces.context.ResponseWriterWrapper;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;

/**
 * Turns the inline handlers that Faces renders for {@code <f:ajax>} (such as
 * {@code onchange="mojarra.ab(this,event,'valueChange','@form','@form',{...})"}) into data
 * attributes ({@code data-ajax-change='{"event":"valueChange","execute":"@form",...}'}) that
 * {@code resources/js/segmatch.js} acts on. Any other inline handler is a mistake in a page and
 * fails the rendering, so none can slip past the Content Security Policy unnoticed.
 */
public class NoInlineScriptWriter extends ResponseWriterWrapper {

    public NoInlineScriptWriter(ResponseWriter wrapped) {
        super(wrapped);
    }

    @Override
    public void writeAttribute(String name, Object value, String property) throws IOException {
        if (isHandler(name) && value != null && !value.toString().isBlank()) {
            String dom = name.substring(2).toLowerCase(Locale.ROOT);
            super.writeAttribute("data-ajax-" + dom, AjaxCall.parse(value.toString(), where()).json(), null);
            return;
        }
        super.writeAttribute(name, value, property);
    }

    @Override
    public void writeURIAttribute(String name, Object value, String property) throws IOException {
        if (value != null && value.toString().strip().toLowerCase(Locale.ROOT).startsWith("javascript:")) {
            throw new IllegalStateException("a javascript: URL in " + where() + " would be blocked by the Content Security Policy");
        }
        super.writeURIAttribute(name, value, property);
    }

    @Override
    public ResponseWriter cloneWithWriter(Writer writer) {
        return new NoInlineScriptWriter(getWrapped().cloneWithWriter(writer));
    }

    static boolean isHandler(String name) {
        return name.length() > 2 && name.regionMatches(true, 0, "on", 0, 2) && Character.isLetter(name.charAt(2));
    }

    private static String where() {
        FacesContext context = FacesContext.getCurrentInstance();
        UIComponent component = context == null ? null : UIComponent.getCurrentComponent(context);
        return component == null ? "the page" : "component " + component.getClientId(context);
    }
}
