package org.weft.nanny;

import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** Turns the nanny on in a process started as one ({@code weft.mode=nanny}, set by {@code bin/weft worker}). */
@Component(immediate = true)
public final class NannyModeSwitch {

    static final String MODE = "weft.mode";

    @Activate
    void activate(ComponentContext context) {
        if ("nanny".equals(String.valueOf(context.getBundleContext().getProperty(MODE)).trim())) {
            context.enableComponent(NannyComponent.class.getName());
        }
    }
}
