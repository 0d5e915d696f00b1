package dev.infinitemap.webconsole;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.servlet.whiteboard.Preprocessor;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Guards the Web Console's door, ahead of its own login check (a whiteboard preprocessor runs
 * before any context's security): every console response forbids framing by other sites
 * ({@code X-Frame-Options: SAMEORIGIN}, {@code frame-ancestors 'self'}), each failed login is
 * logged with the remote address, and an address that keeps failing must wait longer and longer
 * before its next attempt is even checked (see {@link LoginThrottle}); meanwhile it gets 429
 * with {@code Retry-After} at once, so waiting costs the server no thread. TRACE, which would
 * echo a request's headers back, is refused everywhere.
 */
@Component(service = Preprocessor.class)
public class ConsoleGuard extends HttpFilter implements Preprocessor {

    static final String CONSOLE = "/system/console";

    private static final long serialVersionUID = 1L;

    private final transient Logger log;
    private final transient LoginThrottle throttle = new LoginThrottle();

    @Activate
    public ConsoleGuard(@Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        if ("TRACE".equals(request.getMethod())) {
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED, "TRACE is not served");
            return;
        }
        String path = request.getRequestURI();
        if (path == null || !(path.equals(CONSOLE) || path.startsWith(CONSOLE + "/"))) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("X-Frame-Options", "SAMEORIGIN");
        response.setHeader("Content-Security-Policy", "frame-ancestors 'self'");
        String address = request.getRemoteAddr();
        long wait = throttle.waitNanos(address, System.nanoTime());
        if (wait > 0) {
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait + 999_999_999));
            response.setHeader("Retry-After", Long.toString(seconds));
            response.sendError(429, "too many failed logins from " + address + "; try again in " + seconds + " s");
            return;
        }
        chain.doFilter(request, response);
        String user = basicUser(request.getHeader("Authorization"));
        if (user == null) {
            return; // no credentials: a browser's first request, answered with the login prompt
        }
        if (response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED) {
            int inARow = throttle.failed(address, System.nanoTime());
            int next = LoginThrottle.waitSecondsAfter(inARow);
            log.warn("Failed Web Console login as \"{}\" from {} ({} in a row){}.", printable(user), address, inARow,
                    next == 0 ? "" : "; its next attempt is refused for " + next + " s");
        } else {
            throttle.succeeded(address);
        }
    }

    /** @return the user name of basic credentials, "" when they cannot be read, null without any */
    static String basicUser(String authorization) {
        if (authorization == null) {
            return null;
        }
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return "";
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? decoded : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    // A user name is input: it goes into the log without control characters and not too long.
    static String printable(String text) {
        String clean = text.replaceAll("[\\p{Cntrl}\\p{Cf}]", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }
}
