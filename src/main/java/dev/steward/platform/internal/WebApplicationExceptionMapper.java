package dev.steward.platform.internal;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The JAX-RS runtime's own refusals (no such path, wrong method, unsupported media type, unparseable parameters)
 * in the problem+json shape, keeping their status and headers such as {@code Allow}.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(WebApplicationException exception) {
        int status = exception.getResponse().getStatus();
        String detail;
        if (exception instanceof NotFoundException) {
            detail = "No resource at " + uriInfo.getPath();
        } else if (exception instanceof NotAllowedException) {
            detail = "Allowed: " + exception.getResponse().getAllowedMethods();
        } else if (exception instanceof NotSupportedException) {
            detail = "Send the body as application/json";
        } else {
            // The runtime's own messages name its internals; say no more than the status does.
            detail = null;
        }
        Response problem = Problems.response(status, detail, uriInfo.getPath());
        Response.ResponseBuilder builder = Response.fromResponse(problem);
        exception.getResponse().getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        return builder.build();
    }
}
