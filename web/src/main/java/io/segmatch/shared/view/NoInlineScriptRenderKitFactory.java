package io.segmatch.shared.view;

import jakarta.faces.context.FacesContext;
import jakarta.faces.context.ResponseWriter;
import jakarta.faces.render.RenderKit;
import jakarta.faces.render.RenderKitFactory;
import jakarta.faces.render.RenderKitWrapper;

import java.io.Writer;
import java.util.Iterator;

/**
 * Gives every render kit the {@link NoInlineScriptWriter}, so that the console's pages carry no
 * inline event handlers and can be served with a Content Security Policy that forbids inline
 * script. Registered in {@code faces-config.xml}.
 */
public class NoInlineScriptRenderKitFactory extends RenderKitFactory {

    public NoInlineScriptRenderKitFactory(RenderKitFactory wrapped) {
        super(wrapped);
    }

    @Override
    public void addRenderKit(String renderKitId, RenderKit renderKit) {
        getWrapped().addRenderKit(renderKitId, renderKit);
    }

    @Override
    public RenderKit getRenderKit(FacesContext context, String renderKitId) {
        RenderKit kit = getWrapped().getRenderKit(context, renderKitId);
        return kit == null ? null : new Kit(kit);
    }

    @Override
    public Iterator<String> getRenderKitIds() {
        return getWrapped().getRenderKitIds();
    }

    static final class Kit extends RenderKitWrapper {
        Kit(RenderKit wrapped) {
            super(wrapped);
        }

        @Override
        public ResponseWriter createResponseWriter(Writer writer, String contentTypeList, String encoding) {
            ResponseWriter created = getWrapped().createResponseWriter(writer, contentTypeList, encoding);
            return created == null ? null : new NoInlineScriptWriter(created);
        }
    }
}
