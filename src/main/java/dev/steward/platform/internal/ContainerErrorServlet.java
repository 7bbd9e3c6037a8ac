package dev.steward.platform.internal;

import dev.steward.shared.ProblemJson;
import dev.steward.shared.ProblemType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * The error page of the errors the web container decides for itself, before or beside the JAX-RS application
 * (web.xml maps 400, 404, 405 and 500 here): a URI with an encoded slash, a path under {@code /WEB-INF}, a servlet's
 * {@code sendError}. Liberty's own pages for them name the exception and the class and line that threw
 * ({@code java.io.IOException ... at com.ibm.wsspi.webcontainer.util.RequestUtils.verifyEncodedCharacter}); this
 * answers problem+json with the status and nothing else. The admin UI's pages keep their plain message, which
 * its servlets write for people.
 */
@WebServlet(urlPatterns = ContainerErrorServlet.PATH)
public class ContainerErrorServlet extends HttpServlet {

    static final String PATH = "/steward-container-error";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer given && given >= 400 && given < 600 ? given : 404;
        String uri = String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));
        response.setStatus(status);
        if (uri.startsWith("/admin") && request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) == null) {
            Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("Error " + status + (message == null || message.toString().isBlank()
                    || message.toString().startsWith("SRVE") ? "" : ": " + message));
            return;
        }
        response.setContentType(ProblemJson.MEDIA_TYPE);
        String instance = Problems.loggable(uri);
        String body = ProblemType.forStatus(status)
                .map(type -> ProblemJson.render(type, null, instance, List.of()))
                .orElseGet(() -> ProblemJson.render(status, "HTTP " + status, null, instance)).toString();
        response.getWriter().write(body);
    }
}
