//! Postman test scripts into assertions: each common form, names kept, captures, and what
//! does not convert left in the script and named.

use super::postman_script::{Converted, convert};

fn asserts(script: &str) -> Vec<String> {
    let converted = convert(script);
    assert!(converted.left.is_empty(), "left: {:?}", converted.left);
    converted.asserts
}

#[test]
fn status_forms() {
    assert_eq!(
        asserts(
            "pm.test(\"Status code is 200\", function () {\n    pm.response.to.have.status(200);\n});"
        ),
        ["status == 200 # Status code is 200"]
    );
    assert_eq!(
        asserts("pm.test('ok', () => { pm.response.to.be.ok; pm.response.to.be.success })"),
        [
            "status == 200 # ok",
            "status >= 200 # ok",
            "status < 300 # ok"
        ]
    );
    assert_eq!(
        asserts("pm.test('nf', function () { pm.response.to.be.notFound; });"),
        ["status == 404 # nf"]
    );
    assert_eq!(
        asserts(
            "pm.test('one of', function () { pm.expect(pm.response.code).to.be.oneOf([200, 201]); });"
        ),
        ["status matches \"^(200|201)$\" # one of"]
    );
}

#[test]
fn header_and_time_forms() {
    assert_eq!(
        asserts(
            r#"pm.test("headers", function () {
                pm.response.to.have.header("Content-Type");
                pm.response.to.have.header("X-Mode", "fast");
                pm.response.to.not.have.header("X-Debug");
                pm.expect(pm.response.headers.get("Content-Type")).to.include("json");
                pm.expect(pm.response.responseTime).to.be.below(500);
            });"#
        ),
        [
            "header Content-Type exists # headers",
            "header X-Mode == \"fast\" # headers",
            "header X-Debug not exists # headers",
            "header Content-Type contains \"json\" # headers",
            "duration < 500 # headers",
        ]
    );
}

#[test]
fn json_body_forms() {
    let script = r#"
        var jsonData = pm.response.json();
        pm.test("body", function () {
            pm.expect(jsonData.name).to.eql("Ada");
            pm.expect(jsonData.items).to.have.lengthOf(2);
            pm.expect(jsonData.items.length).to.be.above(1);
            pm.expect(jsonData.items[0]["full name"]).to.be.a("string");
            pm.expect(jsonData.active).to.be.true;
            pm.expect(jsonData.error).to.not.exist;
            pm.expect(jsonData).to.have.property("id");
            pm.expect(jsonData.owner).to.have.property('email', 'ada@example.test');
            pm.expect(pm.response.json().id).to.eql(pm.environment.get("id"));
            pm.expect(jsonData.email).to.match(/@example\.test$/i);
            pm.expect(pm.response.text()).to.include("Ada");
            pm.expect(jsonData.name).to.have.lengthOf(3);
            pm.expect(jsonData.price).to.be.oneOf([1.50, 2]);
            pm.expect(Number(pm.response.headers.get("X-Count"))).to.be.below(10);
        });"#;
    assert_eq!(
        asserts(script),
        [
            "jq .name == \"Ada\" # body",
            "jq \".items | length\" == 2 # body",
            "jq \".items | length\" > 1 # body",
            "jq '.items[0][\"full name\"]' type string # body",
            "jq .active == true # body",
            "jq .error not exists # body",
            "jq .id exists # body",
            "jq .owner.email == \"ada@example.test\" # body",
            "jq .id == {{id}} # body",
            "jq .email matches \"(?i)@example\\.test$\" # body",
            "body contains \"Ada\" # body",
            "jq \".name | length\" == 3 # body",
            "jq .price matches \"^(1\\.5|2)$\" # body",
            "header X-Count < 10 # body",
        ]
    );
    // Every line is an assertion Courier reads, name and all.
    for line in asserts(script) {
        let parsed = crate::check::parse(&line).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert_eq!(parsed.name.as_deref(), Some("body"));
    }
}

#[test]
fn variables_set_from_the_response_become_captures() {
    let converted = convert(
        r#"var data = JSON.parse(responseBody);
        pm.environment.set("token", data.token);
        pm.collectionVariables.set("etag", pm.response.headers.get("ETag"));
        pm.test("has token", function () { pm.expect(data.token).to.exist; });"#,
    );
    assert_eq!(
        converted,
        Converted {
            asserts: vec!["jq .token exists # has token".to_owned()],
            captures: vec![
                ("token".to_owned(), "jq .token".to_owned()),
                ("etag".to_owned(), "header ETag".to_owned()),
            ],
            left: Vec::new(),
            remainder: String::new(),
        }
    );
}

#[test]
fn what_does_not_convert_is_named_and_a_block_converts_whole_or_not_at_all() {
    let converted = convert(
        r#"pm.test("schema", function () {
            pm.response.to.have.status(200);
            pm.expect(tv4.validate(pm.response.json(), schema)).to.be.true;
        });
        console.log("done");
        pm.test("fine", function () { pm.response.to.have.status(200); });"#,
    );
    assert_eq!(converted.asserts, ["status == 200 # fine"]);
    assert_eq!(
        converted.left,
        ["pm.test(\"schema\")", "console.log(\"done\")"]
    );
}

#[test]
fn the_old_tests_array_form() {
    assert_eq!(
        asserts(
            r#"var data = JSON.parse(responseBody);
            tests["Status code is 200"] = responseCode.code === 200;
            tests["Body has Ada"] = responseBody.has("Ada");
            tests["Type"] = postman.getResponseHeader("Content-Type");
            tests["Fast"] = responseTime < 200;
            tests["Two items"] = data.items.length == 2;
            tests["Signed"] = data.headers.Authorization.has("Basic");"#
        ),
        [
            "status == 200 # Status code is 200",
            "body contains \"Ada\" # Body has Ada",
            "header Content-Type exists # Type",
            "duration < 200 # Fast",
            "jq \".items | length\" == 2 # Two items",
            "jq .headers.Authorization contains \"Basic\" # Signed",
        ]
    );
}
