using Matryoshka.AspNetCore;
using Matryoshka.Hosting;
using Matryoshka.Models.Emoji64;
using Microsoft.Extensions.FileProviders;

// Before anything loads libtorch: OpenMP workers that sleep instead of spinning (a shared server slows down in
// proportion instead of collapsing) and huge pages for large tensors; process-wide, so the application sets them.
Matryoshka.Runtime.CpuThreading.PrepareOpenMp();
Matryoshka.Runtime.CpuThreading.PrepareHugePages();

// The embedded emoji model behind the image endpoints, and a page that shows every nested level forming.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddMatryoshka("default", o => o.ModelFolder = Emoji64Model.Folder);
builder.Services.AddMatryoshkaServing(o => builder.Configuration.GetSection("Matryoshka:Serving").Bind(o));
builder.Services.AddOpenApi();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
// The page's files are copied next to the application, so it is found whatever the working directory.
var page = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "page"));
app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = page });
app.UseStaticFiles(new StaticFileOptions { FileProvider = page });
app.MapOpenApi();
app.MapMatryoshka();
app.Run();

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
