package dev.steward.platform.internal;

import dev.steward.shared.ProblemException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Problems raised on purpose by any module. */
@Provider
public class ProblemExceptionMapper implements ExceptionMapper<ProblemException> {

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(ProblemException problem) {
        Response response = Problems.response(problem.type(), problem.getMessage(), uriInfo.getPath(),
                problem.fieldErrors());
        if (response.getStatus() == 401) {
            // RFC 6750: tell the client which scheme to use.
            response.getHeaders().add("WWW-Authenticate", "Bearer realm=\"steward\"");
        }
        return response;
    }
}
