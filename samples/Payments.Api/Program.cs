using Payments.Api;

await PaymentsApp.Build(args).RunAsync();
