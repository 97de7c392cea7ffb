using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Matryoshka.Serving.Tests.AspNetCore;

[Collection(DemoCollection.Name)]
public class EndpointTests(DemoFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Healthz_reports_the_loaded_model_and_an_idle_queue()
    {
        var health = await _client.GetFromJsonAsync<JsonElement>("/healthz");
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("emoji-64", health.GetProperty("model").GetString());
        Assert.Equal([64, 16], health.GetProperty("levels").EnumerateArray().Select(l => l.GetInt32()));
        Assert.Equal(0, health.GetProperty("running").GetInt32());
        Assert.Equal(1, health.GetProperty("maxConcurrent").GetInt32());
    }

    [Fact]
    public async Task Post_answers_one_png_and_the_same_seed_gives_the_same_image_as_json()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images") { Content = JsonContent.Create(new { prompt = "a red apple", seed = 5, steps = 2 }) };
        request.Headers.Add("X-Request-Id", "test-42");
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("test-42", response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("matryoshka-5.png", response.Content.Headers.ContentDisposition!.FileName);
        var png = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal((64, 64), Png.Size(png));

        using var json = await _client.PostAsJsonAsync("/v1/images", new { prompt = "a red apple", seed = 5, steps = 2, responseFormat = "json" });
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.True(json.Headers.Contains("X-Request-Id"));
        var body = await json.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(5UL, body.GetProperty("seed").GetUInt64());
        Assert.Equal(2, body.GetProperty("steps").GetInt32());
        Assert.Equal("emoji-64", body.GetProperty("model").GetString());
        Assert.Equal(png, Convert.FromBase64String(Assert.Single(body.GetProperty("images").EnumerateArray()).GetString()!));

        // Several images come as JSON without asking.
        using var several = await _client.PostAsJsonAsync("/v1/images", new { prompt = "a red apple", seed = 5, steps = 2, count = 2 });
        var images = (await several.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("images").EnumerateArray()
            .Select(i => Convert.FromBase64String(i.GetString()!)).ToArray();
        Assert.Equal(2, images.Length);
        Assert.All(images, i => Assert.Equal((64, 64), Png.Size(i)));
        Assert.NotEqual(images[0], images[1]);
    }

    [Theory]
    [InlineData("""{"steps": 2}""", "prompt")]
    [InlineData("""{"prompt": "  "}""", "prompt")]
    [InlineData("""{"prompt": "a", "steps": 0}""", "steps")]
    [InlineData("""{"prompt": "a", "steps": 101}""", "steps")]
    [InlineData("""{"prompt": "a", "guidanceScale": -1}""", "guidanceScale")]
    [InlineData("""{"prompt": "a", "count": 5}""", "count")]
    [InlineData("""{"prompt": "a", "responseFormat": "gif"}""", "responseFormat")]
    [InlineData("""{"prompt": "a", "count": 2, "responseFormat": "png"}""", "responseFormat")]
    [InlineData("""{"prompt": "a", "seed": -3}""", "body")]
    [InlineData("""{"prompt": "a",""", "body")]
    public async Task Invalid_posts_get_validation_problems_naming_the_field(string json, string field)
    {
        using var response = await _client.PostAsync("/v1/images", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(0, factory.Queue.Running + factory.Queue.Waiting);
    }

    [Fact]
    public async Task Oversized_bodies_long_prompts_and_non_json_are_refused_before_any_work()
    {
        using var huge = await _client.PostAsync("/v1/images", new StringContent($$"""{"prompt": "{{new string('a', 20_000)}}"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        using var longPrompt = await _client.PostAsJsonAsync("/v1/images", new { prompt = new string('a', 501) });
        Assert.Equal(HttpStatusCode.BadRequest, longPrompt.StatusCode);
        using var text = await _client.PostAsync("/v1/images", new StringContent("a red apple"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal("application/problem+json", text.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("/v1/images/stream", "prompt")]
    [InlineData("/v1/images/stream?prompt=a&seed=abc", "seed")]
    [InlineData("/v1/images/stream?prompt=a&steps=1000", "steps")]
    [InlineData("/v1/images/stream?prompt=a&guidanceScale=NaN", "guidanceScale")]
    [InlineData("/v1/images/stream?prompt=a&count=2", "count")]
    [InlineData("/v1/images/stream?prompt=a&responseFormat=png", "responseFormat")]
    public async Task Invalid_streams_get_validation_problems_before_the_stream_starts(string url, string field)
    {
        using var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task The_stream_sends_started_then_a_preview_of_every_level_per_step_then_done()
    {
        using var response = await _client.GetAsync("/v1/images/stream?prompt=a%20red%20apple&seed=5&steps=3", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = new List<(string Type, JsonElement Data)>();
        await foreach (var e in Sse.ReadAsync(await response.Content.ReadAsStreamAsync())) events.Add(e);

        Assert.Equal(["started", "preview", "preview", "preview", "done"], events.Select(e => e.Type));
        Assert.Equal(5UL, events[0].Data.GetProperty("seed").GetUInt64());
        Assert.Equal(3, events[0].Data.GetProperty("steps").GetInt32());
        for (int step = 1; step <= 3; step++)
        {
            var preview = events[step].Data;
            Assert.Equal(step, preview.GetProperty("step").GetInt32());
            Assert.Equal(3, preview.GetProperty("total").GetInt32());
            var levels = preview.GetProperty("levels").EnumerateArray().ToArray();
            Assert.Equal([64, 16], levels.Select(l => l.GetProperty("size").GetInt32()));
            foreach (var level in levels)
            {
                int size = level.GetProperty("size").GetInt32();
                Assert.Equal((size, size), Png.Size(Convert.FromBase64String(level.GetProperty("png").GetString()!)));
            }
        }
        var done = Convert.FromBase64String(events[^1].Data.GetProperty("png").GetString()!);
        // The streamed final image is the image POST draws for the same request.
        using var post = await _client.PostAsJsonAsync("/v1/images", new { prompt = "a red apple", seed = 5, steps = 3 });
        Assert.Equal(await post.Content.ReadAsByteArrayAsync(), done);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_endpoints()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/images", out var images));
        Assert.True(images.GetProperty("post").GetProperty("responses").TryGetProperty("429", out _));
        Assert.True(paths.TryGetProperty("/v1/images/stream", out var stream));
        var parameters = stream.GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["prompt", "negativePrompt", "seed", "steps", "guidanceScale"], parameters);
    }
}
