package dev.infinitemap.webconsole;

import java.io.IOException;
import java.io.PrintWriter;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Component;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The "InfiniteMap" tab at {@code /system/console/infinitemap}, behind the console's login:
 * map status, the compositors with their state and last error, the latest deltas, and a live
 * minimap. The page's script reads it all from the public API and the WebSocket feed; this
 * plugin serves the page and its resources behind the console's login.
 */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + InfiniteMapConsolePlugin.LABEL,
        ServletConstants.PLUGIN_TITLE + "=InfiniteMap",
        ServletConstants.PLUGIN_CATEGORY + "=InfiniteMap",
        ServletConstants.PLUGIN_CSS_REFERENCES + "=" + InfiniteMapConsolePlugin.LABEL + "/res/console.css" })
public class InfiniteMapConsolePlugin extends AbstractServlet {

    static final String LABEL = "infinitemap";

    private static final long serialVersionUID = 1L;

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String root = (String) request.getAttribute(ServletConstants.ATTR_PLUGIN_ROOT);
        PrintWriter out = response.getWriter();
        out.println(readTemplateFile("/res/console.html").replace("{{pluginRoot}}", root == null ? LABEL : root));
    }
}
