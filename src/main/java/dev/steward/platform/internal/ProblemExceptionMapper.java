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
        return Problems.response(problem.type(), problem.getMessage(), uriInfo.getPath(), problem.fieldErrors());
    }
}
