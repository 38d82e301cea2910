package dev.deploypipeline.upload.limits;

import dev.deploypipeline.upload.access.RequestSizeLimit;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/** Every {@code @RequestBody} is read within {@code MAX_REQUEST_SIZE}. */
@ControllerAdvice
class RequestBodyLimit extends RequestBodyAdviceAdapter {

    private final BodyLimit limit;

    RequestBodyLimit(RequestSizeLimit settings) {
        this.limit = new BodyLimit(settings.requestSize());
    }

    @Override
    public boolean supports(
            MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public HttpInputMessage beforeBodyRead(
            HttpInputMessage message,
            MethodParameter parameter,
            Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType)
            throws IOException {
        InputStream body = limit.apply(message.getBody(), message.getHeaders().getContentLength());
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return body;
            }

            @Override
            public HttpHeaders getHeaders() {
                return message.getHeaders();
            }
        };
    }
}
