package dev.infinitemap.webconsole;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Guards the Web Console against cross-site request forgery, which the stock console does not:
 * a request that can change state (anything but GET, HEAD and OPTIONS) must come from a page of
 * this runtime. Browsers name the page's origin in {@code Origin} (or at least {@code Referer});
 * a request whose Origin or Referer names another site is refused with 403 before the console
 * sees it, even with valid credentials, which a browser would send along on its own. Requests
 * without either header come from programs (curl, scripts), not from a page, and pass.
 */
@Component(service = Filter.class)
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=org.apache.felix.webconsole)")
@HttpWhiteboardFilterPattern("/*")
public class ConsoleCsrfFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final transient Logger log;

    @Activate
    public ConsoleCsrfFilter(@Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (!SAFE_METHODS.contains(request.getMethod())) {
            String origin = request.getHeader("Origin");
            String source = origin != null ? origin : request.getHeader("Referer");
            if (source != null && !sameOrigin(source, request.getHeader("Host"))) {
                log.warn("Refused a {} to {} from a page of {}: the Web Console takes changes only from its own pages.",
                        request.getMethod(), request.getRequestURI(), abbreviate(source));
                response.sendError(HttpServletResponse.SC_FORBIDDEN, "cross-site request refused: changes must come from the console's own pages");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    static boolean sameOrigin(String source, String host) {
        if (host == null || source.equals("null")) {
            return false; // "null": a sandboxed or file page
        }
        try {
            URI uri = new URI(source);
            return host.equalsIgnoreCase(uri.getRawAuthority()) && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String abbreviate(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 100 ? printable.substring(0, 100) + "..." : printable;
    }
}
