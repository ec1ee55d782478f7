package io.segmatch.shared.view;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Ajax calls Faces renders, turned into data for the console's script; anything else refused. */
class AjaxCallTest {

    @Test
    void aValueChangeWithItsTargetsAndOptions() {
        AjaxCall call = AjaxCall.parse("mojarra.ab(this,event,'valueChange','@form','builder:preview builder:sample',"
                + "{\"onevent\":segmatch.keepFocus,\"delay\":300})", "test");
        assertEquals("valueChange", call.event());
        assertEquals("@form", call.execute());
        assertEquals("builder:preview builder:sample", call.render());
        assertEquals(300, call.delay());
        assertEquals("segmatch.keepFocus", call.onevent());
        assertEquals("{\"event\":\"valueChange\",\"execute\":\"@form\",\"render\":\"builder:preview builder:sample\","
                + "\"delay\":300,\"onevent\":\"segmatch.keepFocus\"}", call.json());
    }

    @Test
    void aButtonsActionStopsTheFormSubmission() {
        AjaxCall call = AjaxCall.parse("mojarra.ab(this,event,'action','@form','@form');return false", "test");
        assertTrue(call.preventDefault());
        assertEquals("action", call.event());
    }

    @Test
    void noTargetsIsZero() {
        AjaxCall call = AjaxCall.parse("mojarra.ab(this,event,'keyup',0,0)", "test");
        assertEquals(null, call.execute());
        assertEquals("{\"event\":\"keyup\"}", call.json());
    }

    @Test
    void anyOtherInlineScriptIsRefused() {
        assertThrows(IllegalStateException.class, () -> AjaxCall.parse("return confirm('Delete?')", "test"));
        assertThrows(IllegalStateException.class, () -> AjaxCall.parse("alert(1);mojarra.ab(this,event,'x',0,0)", "test"));
        assertThrows(IllegalStateException.class,
                () -> AjaxCall.parse("mojarra.ab(this,event,'change',0,0,{\"onevent\":function(){alert(1)}})", "test"));
        assertTrue(NoInlineScriptWriter.isHandler("onclick") && NoInlineScriptWriter.isHandler("onKeyUp"));
        assertTrue(!NoInlineScriptWriter.isHandler("on") && !NoInlineScriptWriter.isHandler("on-x"));
    }
}
