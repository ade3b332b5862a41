package io.damselfly.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.protocol.ApiException;
import io.damselfly.protocol.ErrorBody;
import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.Json;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Every failure becomes the protocol's one error type, and a client rebuilds the same error from the body. */
class ErrorMapperTest {

  @Test
  void anApiExceptionAnswersWithItsCodesStatusAndTravelsWhole() {
    ApiException thrown = ApiException.notOwner("sn-b owns it", "10.0.0.2:8002");
    Response.Full r = (Response.Full) ErrorMapper.toResponse(new CompletionException(thrown));
    assertThat(r.status().code()).isEqualTo(421);
    ApiException rebuilt = ApiException.of(Json.read(r.body(), ErrorBody.class));
    assertThat(rebuilt.code()).isEqualTo(ErrorCode.NOT_OWNER);
    assertThat(rebuilt.owner()).isEqualTo("10.0.0.2:8002");
    assertThat(rebuilt.getMessage()).isEqualTo("sn-b owns it");
    assertThat(rebuilt.body()).isEqualTo(thrown.body());
  }

  @Test
  void theOriginsStatusTravelsWithAnOriginError() {
    Response.Full r = (Response.Full) ErrorMapper.toResponse(
        new ApiException(ErrorCode.ORIGIN_ERROR, "origin answered 404", 404, null));
    assertThat(r.status().code()).isEqualTo(502);
    assertThat(Json.read(r.body(), ErrorBody.class)).isEqualTo(new ErrorBody(ErrorCode.ORIGIN_ERROR, "origin answered 404", 404));
  }

  @Test
  void otherFailuresBecomeTheProtocolsCodes() {
    assertThat(code(new IllegalArgumentException("url must be absolute"))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(code(new TimeoutException())).isEqualTo(ErrorCode.TIMEOUT);
    assertThat(code(new InterruptedException())).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(code(new IllegalStateException("a bug"))).isEqualTo(ErrorCode.INTERNAL);
  }

  @Test
  void aCodeThisVersionDoesNotKnowReadsAsInternalWithItsMessage() {
    ErrorBody body = Json.read("{\"code\":\"FROM_THE_FUTURE\",\"message\":\"new\",\"originStatus\":0}"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8), ErrorBody.class);
    assertThat(body.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(body.message()).isEqualTo("new");
  }

  private static ErrorCode code(Throwable t) {
    Response.Full r = (Response.Full) ErrorMapper.toResponse(t);
    ErrorCode code = Json.read(r.body(), ErrorBody.class).code();
    assertThat(r.status().code()).isEqualTo(code.httpStatus());
    return code;
  }
}
