// Structured-mode message values of shop events as other CloudEvents SDKs write them, copied in their exact
// shape: member order, which optional attributes they leave out, time format, extensions, data_base64.

/** Java SDK (io.cloudevents:cloudevents-json-jackson, CloudEventSerializer): specversion, id, source, type,
 * then datacontenttype, dataschema, subject, time when set, the extensions, and data. No correlationid. */
export const javaMinimal =
  '{"specversion":"1.0","id":"1","source":"http://localhost/source","type":"webshop.order.created",' +
  '"data":{"orderId":"java-1","amount":12.5}}';

/** Java SDK with every optional attribute, an offset time and extensions of each JSON type (the SDK's own
 * json_data_with_ext.json test event, with our type and data). */
export const javaWithExtensions =
  '{"specversion":"1.0","id":"1","source":"http://localhost/source","type":"webshop.order.created",' +
  '"datacontenttype":"application/json","dataschema":"http://localhost/schema","subject":"java-2",' +
  '"time":"2018-04-26T14:48:09+02:00","astring":"aaa","aboolean":true,"anumber":10,' +
  '"data":{"orderId":"java-2","amount":350}}';

/** Java SDK with `subject` written as null, as its min_subject_null.json test event. */
export const javaSubjectNull =
  '{"specversion":"1.0","id":"1","type":"webshop.order.created","source":"http://localhost/source",' +
  '"subject":null,"data":{"orderId":"java-3","amount":1}}';

/** Java SDK with JsonFormat's forceDataBase64Serialization: JSON data as data_base64. */
export const javaBase64 =
  '{"specversion":"1.0","id":"4","source":"http://localhost/source","type":"webshop.order.created",' +
  '"datacontenttype":"application/json","data_base64":"' +
  Buffer.from('{"orderId":"java-4","amount":20}').toString('base64') +
  '"}';

/** Go SDK (github.com/cloudevents/sdk-go/v2, event.WriteJson): subject, datacontenttype, dataschema and time
 * (RFC 3339 with nanoseconds, UTC) when set, then data, then the extensions. */
export const goWithTrace =
  '{"specversion":"1.0","id":"b5c1e6a0-3f1d-4a7e-9a55-2f7d0c1e8b11","source":"https://example.com/checkout",' +
  '"type":"webshop.order.created","subject":"go-1","datacontenttype":"application/json",' +
  '"time":"2025-03-04T05:06:07.089123456Z","data":{"orderId":"go-1","amount":19.99},' +
  '"traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01","sequence":7}';

/** Go SDK with a `+json` content type that carries parameters. */
export const goVendorJson =
  '{"specversion":"1.0","id":"2","source":"urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66",' +
  '"type":"webshop.order.created","datacontenttype":"application/vnd.shop.order+json; charset=utf-8",' +
  '"data":{"orderId":"go-2","amount":7}}';

/** The spec's own example of an XML payload (formats/json-format.md, 3.2), with our type. */
export const specXmlData =
  '{"specversion":"1.0","type":"webshop.order.created","source":"/mycontext","id":"B234-1234-1234",' +
  '"time":"2018-04-05T17:31:00Z","comexampleextension1":"value","comexampleothervalue":5,' +
  '"unsetextension":null,"datacontenttype":"application/xml","data":"<much wow=\\"xml\\"/>"}';
